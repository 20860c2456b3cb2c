"""Diagrams drawn with matplotlib, so that every figure in the book is made by code."""

from __future__ import annotations

__all__ = ["draw_unrolled_rnn"]


def _box(ax, x, y, text, color, w=0.8, h=0.55):
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(
        FancyBboxPatch(
            (x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05", facecolor=color, edgecolor="black", linewidth=1.2
        )
    )
    ax.text(x, y, text, ha="center", va="center", fontsize=12)


def _arrow(ax, start, end, text=None, offset=(0, 0)):
    ax.annotate("", xy=end, xytext=start, arrowprops={"arrowstyle": "-|>", "lw": 1.4, "color": "black"})
    if text:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, text, ha="center", va="center", fontsize=10, color="#444444")


def draw_unrolled_rnn(ax, steps: int = 4) -> None:
    """Draw the RNN as a loop (left) and unrolled over ``steps`` time steps (right).

    The same weights ``W_ih`` (input to state) and ``W_hh`` (state to state) are
    used at every step; that is what the labels on the arrows say.
    """
    if steps < 1:
        raise ValueError(f"steps must be >= 1; got {steps}")
    ax.set_axis_off()
    ax.set_aspect("equal")
    # folded network
    _box(ax, 0, 1.5, "RNN\ncell", "#cfe2f3")
    _box(ax, 0, 0, "$x_t$", "#fff2cc")
    _box(ax, 0, 3, "$h_t$", "#d9ead3")
    _arrow(ax, (0, 0.3), (0, 1.2), "$W_{ih}$", (0.35, 0))
    _arrow(ax, (0, 1.8), (0, 2.7))
    ax.annotate(
        "",
        xy=(0.45, 1.35),
        xytext=(0.45, 1.65),
        arrowprops={"arrowstyle": "-|>", "lw": 1.4, "connectionstyle": "arc3,rad=-2.5"},
    )
    ax.text(1.05, 1.5, "$W_{hh}$", fontsize=10, color="#444444", va="center")
    ax.text(1.9, 1.5, "=", fontsize=22, ha="center", va="center")
    # unrolled network
    x0 = 3.0
    _box(ax, x0 - 0.2, 1.5, "$h_0$", "#eeeeee", w=0.6)
    for t in range(1, steps + 1):
        x = x0 + 1.6 * t
        _box(ax, x, 1.5, "cell", "#cfe2f3")
        _box(ax, x, 0, f"$x_{t}$", "#fff2cc")
        _box(ax, x, 3, f"$h_{t}$", "#d9ead3")
        _arrow(ax, (x, 0.3), (x, 1.2), "$W_{ih}$" if t == 1 else None, (0.35, 0))
        _arrow(ax, (x, 1.8), (x, 2.7))
        prev = x0 + 0.1 if t == 1 else x - 1.6 + 0.4
        _arrow(ax, (prev, 1.5), (x - 0.45, 1.5), "$W_{hh}$", (0, 0.3))
    ax.set_xlim(-0.8, x0 + 1.6 * steps + 0.8)
    ax.set_ylim(-0.6, 3.6)
