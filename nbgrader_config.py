"""nbgrader configuration of the course (read by every nbgrader command run from this folder).

Layout: solutions/<assignment>/<notebook>.ipynb are the instructor sources;
`nbgrader generate_assignment <assignment>` writes the student versions to
exercises/<assignment>/, which are committed (tests/test_nbgrader.py checks that
they are exactly what generation produces).
"""

c = get_config()  # noqa: F821 - provided by nbgrader

c.CourseDirectory.course_id = "rnn-course"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Per-cell time limits, sized for the training cells of the Keras and TF1 assignments on a
# laptop CPU. Both names are set: nbgrader's Execute reads its own, nbconvert's the other.
c.ExecutePreprocessor.timeout = 300
c.Execute.timeout = 300

# A student who deletes or empties a test cell still gets it graded: the original is put back.
c.OverwriteCells.add_missing_cells = True

# nbgrader scores a test cell 0 when it writes anything to stderr. TensorFlow and Keras write
# start-up and deprecation messages there; remove exactly those before grading.
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = (
    r"absl::InitializeLog|cudart_stub\.cc|cuda_platform\.cc|cuda_executor\.cc|cpu_feature_guard\.cc"
    r"|oneDNN custom operations|WARNING:tensorflow:|UserWarning: .*(?:deprecated|will be removed)"
)

# Feedback must not reveal the hidden tests: nbgrader restores them before grading, so strip
# them (and the tracebacks that quote them) from the feedback HTML.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "course_lib.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]
