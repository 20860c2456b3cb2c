"""Sphinx extension: drop duplicate <script> entries from every page.

sphinx-thebe (loaded by Jupyter Book) registers its inline configuration script once
per reading pass, so a page can declare ``const THEBE_JS_URL`` twice, which is a
JavaScript error. This keeps the first copy of each identical script.
"""


def _dedupe(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        key = (str(getattr(script, "filename", script) or ""), tuple(sorted(attributes.items())))
        if key in seen:
            continue
        seen.add(key)
        unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _dedupe, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
