"""Diagrams drawn with matplotlib, so that every figure in the book is made by code."""

from __future__ import annotations

__all__ = ["draw_unrolled_rnn", "draw_lstm_cell", "draw_gru_cell"]


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


def _op(ax, x, y, text):
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), 0.28, facecolor="white", edgecolor="black", linewidth=1.2, zorder=3))
    ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=4)


def _line(ax, points):
    """A polyline with an arrow head on its last segment."""
    xs, ys = zip(*points, strict=True)
    ax.plot(xs[:-1], ys[:-1], color="black", lw=1.3, zorder=1)
    ax.annotate(
        "",
        xy=points[-1],
        xytext=points[-2],
        arrowprops={"arrowstyle": "-|>", "lw": 1.3, "color": "black", "shrinkA": 0, "shrinkB": 9},
    )


def _gate(ax, x, y, fn, label, color):
    _box(ax, x, y, fn, color, w=0.9, h=0.6)
    ax.text(x + 0.55, y + 0.42, label, fontsize=11, color="#1c4587", ha="left", va="bottom", style="italic")


def draw_lstm_cell(ax) -> None:
    """Draw one LSTM step: the cell-state line on top, the four gates i, f, g, o below."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    sig, tanh_c = "#f4cccc", "#d9ead3"
    # cell state line: c_{t-1} -> (x f) -> (+ i*g) -> c_t
    ax.text(-0.3, 4, "$c_{t-1}$", ha="right", va="center", fontsize=13)
    ax.text(9.3, 4, "$c_t$", ha="left", va="center", fontsize=13)
    _line(ax, [(-0.2, 4), (2, 4)])
    _op(ax, 2, 4, "×")
    _line(ax, [(2.28, 4), (4.5, 4)])
    _op(ax, 4.5, 4, "+")
    _line(ax, [(4.78, 4), (9.2, 4)])
    # inputs: h_{t-1} and x_t feed every gate
    ax.text(-0.3, 0.3, "$h_{t-1}$", ha="right", va="center", fontsize=13)
    ax.text(1.0, -1.1, "$x_t$", ha="center", va="top", fontsize=13)
    ax.plot([-0.2, 6.8], [0.3, 0.3], color="black", lw=1.3)
    ax.plot([1.0, 1.0], [-1.0, 0.3], color="black", lw=1.3)
    gates = [(2.0, "σ", "f", sig), (3.6, "σ", "i", sig), (5.2, "tanh", "g", tanh_c), (6.8, "σ", "o", sig)]
    for x, fn, label, color in gates:
        _line(ax, [(x, 0.3), (x, 1.2)])
        _gate(ax, x, 1.5, fn, label, color)
    _line(ax, [(2.0, 1.8), (2.0, 4)])  # f -> forget
    _op(ax, 4.5, 2.9, "×")  # i * g
    _line(ax, [(3.6, 1.8), (3.6, 2.9), (4.5, 2.9)])
    _line(ax, [(5.2, 1.8), (5.2, 2.9), (4.5, 2.9)])
    _line(ax, [(4.5, 3.18), (4.5, 4)])
    # output: h_t = o * tanh(c_t)
    _line(ax, [(8.0, 4), (8.0, 3.0)])
    _box(ax, 8.0, 2.7, "tanh", tanh_c, w=0.9, h=0.5)
    _op(ax, 8.0, 1.5, "×")
    _line(ax, [(8.0, 2.45), (8.0, 1.5)])
    _line(ax, [(6.8, 1.8), (6.8, 2.2), (7.4, 2.2), (7.4, 1.5), (8.0, 1.5)])
    _line(ax, [(8.28, 1.5), (9.2, 1.5)])
    ax.text(9.3, 1.5, "$h_t$", ha="left", va="center", fontsize=13)
    ax.set_xlim(-1.4, 10.2)
    ax.set_ylim(-1.6, 4.6)


def draw_gru_cell(ax) -> None:
    """Draw one GRU step (PyTorch/Keras convention: z is the share of the old state kept)."""
    ax.set_axis_off()
    ax.set_aspect("equal")
    sig, tanh_c = "#f4cccc", "#d9ead3"
    ax.text(-0.3, 4, "$h_{t-1}$", ha="right", va="center", fontsize=13)
    ax.text(9.3, 4, "$h_t$", ha="left", va="center", fontsize=13)
    _line(ax, [(-0.2, 4), (3.0, 4)])
    _op(ax, 3.0, 4, "×")  # z * h_{t-1}
    _line(ax, [(3.28, 4), (7.0, 4)])
    _op(ax, 7.0, 4, "+")
    _line(ax, [(7.28, 4), (9.2, 4)])
    ax.text(1.2, -1.1, "$x_t$", ha="center", va="top", fontsize=13)
    ax.plot([0.5, 0.5, 5.5], [4, 0.3, 0.3], color="black", lw=1.3)  # h_{t-1} down to the gate bus
    ax.plot([1.2, 1.2], [-1.0, 0.3], color="black", lw=1.3)
    _line(ax, [(1.8, 0.3), (1.8, 1.2)])
    _gate(ax, 1.8, 1.5, "σ", "r", sig)
    _line(ax, [(3.0, 0.3), (3.0, 1.2)])
    _gate(ax, 3.0, 1.5, "σ", "z", sig)
    _line(ax, [(3.0, 1.8), (3.0, 4)])  # z -> keep old state
    _op(ax, 4.3, 2.6, "1−")
    _line(ax, [(3.0, 2.6), (4.3, 2.6)])
    # candidate n = tanh(W x + r * (W h + b))
    _op(ax, 5.5, 1.5, "×")
    _line(ax, [(1.8, 1.8), (1.8, 2.0), (5.5, 2.0), (5.5, 1.5)])
    _line(ax, [(5.5, 0.3), (5.5, 1.5)])
    _line(ax, [(5.78, 1.5), (6.7, 1.5)])
    _gate(ax, 7.0, 1.5, "tanh", "n", tanh_c)
    _op(ax, 7.0, 2.9, "×")  # (1 - z) * n
    _line(ax, [(7.0, 1.8), (7.0, 2.9)])
    _line(ax, [(4.58, 2.6), (6.0, 2.6), (6.0, 2.9), (7.0, 2.9)])
    _line(ax, [(7.0, 3.18), (7.0, 4)])
    ax.set_xlim(-1.4, 10.2)
    ax.set_ylim(-1.6, 4.6)
