"""A small, complete training loop for PyTorch models, the same on CPU and GPU.

:func:`fit` does what the chapters would otherwise repeat: a progress bar with the
running loss and metric, validation after each epoch, mixed precision on CUDA,
gradient clipping, early stopping, and checkpoints that can be resumed. It returns
a :class:`History` that plots itself.

The batches are whatever the loaders yield; ``batch_fn(model, batch, device)``
turns one into ``(output, target)`` so that padded, packed or plain batches all
fit the same loop. The default expects ``(inputs, targets)``.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

from .torch_utils import get_device

__all__ = ["History", "fit", "evaluate", "accuracy", "save_checkpoint", "load_checkpoint", "CheckpointError"]


class CheckpointError(ValueError):
    """A checkpoint does not fit the model or optimiser it is loaded into."""


def accuracy(output: torch.Tensor, target: torch.Tensor) -> float:
    """Share of rows whose largest output is at the target class."""
    return (output.argmax(dim=-1) == target).float().mean().item()


def _default_batch(model, batch, device):
    if not isinstance(batch, (tuple, list)) or len(batch) != 2:
        raise ValueError(
            f"expected batches of (inputs, targets); got {type(batch).__name__} "
            f"of length {len(batch) if hasattr(batch, '__len__') else '?'}: pass batch_fn"
        )
    x, y = batch
    return model(x.to(device)), y.to(device)


@dataclass
class History:
    """Per-epoch record of a :func:`fit` run."""

    train_loss: list = field(default_factory=list)
    train_metric: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_metric: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    lr: list = field(default_factory=list)
    best_epoch: int = 0
    stopped_early: bool = False
    device: str = ""
    amp: bool = False

    def plot(self, ax=None, metric_name: str = "accuracy"):
        """Loss (left axis) and metric (right axis) per epoch; returns the axes."""
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(7, 4))
        epochs = range(1, len(self.train_loss) + 1)
        ax.plot(epochs, self.train_loss, "o-", label="training loss")
        if self.val_loss:
            ax.plot(epochs, self.val_loss, "o-", label="validation loss")
        ax.set(xlabel="epoch", ylabel="loss")
        ax2 = ax.twinx()
        ax2.plot(epochs, self.train_metric, "s--", color="tab:green", label=f"training {metric_name}")
        if self.val_metric:
            ax2.plot(epochs, self.val_metric, "s--", color="tab:red", label=f"validation {metric_name}")
        ax2.set_ylabel(metric_name)
        lines = ax.get_legend_handles_labels()[0] + ax2.get_legend_handles_labels()[0]
        labels = ax.get_legend_handles_labels()[1] + ax2.get_legend_handles_labels()[1]
        ax.legend(lines, labels, loc="center right", fontsize=8)
        return ax


def _model_signature(model: nn.Module) -> dict:
    return {k: tuple(v.shape) for k, v in model.state_dict().items()}


def save_checkpoint(path, model, optimizer, epoch: int, history: History, best_state=None) -> None:
    """Write model, optimiser, epoch and history to ``path`` (atomically)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(
        {
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
            "epoch": epoch,
            "history": asdict(history),
            "signature": _model_signature(model),
            "model_class": type(model).__name__,
            "best_state": best_state,
        },
        tmp,
    )
    tmp.replace(path)


def load_checkpoint(path, model, optimizer=None) -> tuple[int, History, dict | None]:
    """Restore ``model`` (and ``optimizer``) from ``path``; return ``(epoch, history, best_state)``.

    Raises:
        CheckpointError: the file is not a checkpoint of this model (other class
            or other parameter shapes), with the differences listed.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as err:  # torch raises several types for a damaged file
        raise CheckpointError(f"{path} is not a readable checkpoint ({type(err).__name__}: {err})") from err
    if not isinstance(ckpt, dict) or "signature" not in ckpt:
        raise CheckpointError(f"{path} was not written by course_lib.training.save_checkpoint")
    mine = _model_signature(model)
    if ckpt["model_class"] != type(model).__name__ or ckpt["signature"] != mine:
        theirs = ckpt["signature"]
        diffs = [
            f"{k}: checkpoint {theirs.get(k)} vs model {mine.get(k)}"
            for k in sorted(set(theirs) | set(mine))
            if theirs.get(k) != mine.get(k)
        ]
        raise CheckpointError(
            f"{path} holds a {ckpt['model_class']}, not this {type(model).__name__}: "
            + "; ".join(diffs[:5])
            + (f" (and {len(diffs) - 5} more)" if len(diffs) > 5 else "")
        )
    model.load_state_dict(ckpt["model"])
    if optimizer is not None:
        optimizer.load_state_dict(ckpt["optimizer"])
    return ckpt["epoch"], History(**ckpt["history"]), ckpt.get("best_state")


def _check_loader(loader, name):
    try:
        n = len(loader)
    except TypeError:
        return
    if n == 0:
        raise ValueError(f"{name} is empty: it yields no batches (is the data set or the split empty?)")


@torch.no_grad()
def evaluate(model, loader, loss_fn, metric_fn=accuracy, device=None, batch_fn=_default_batch):
    """Mean loss and metric of ``model`` over ``loader`` (weighted by batch size)."""
    device = device or next(model.parameters()).device
    _check_loader(loader, "the evaluation loader")
    model.eval()
    total_loss = total_metric = count = 0.0
    for batch in loader:
        out, y = batch_fn(model, batch, device)
        n = y.shape[0]
        total_loss += loss_fn(out, y).item() * n
        total_metric += metric_fn(out, y) * n
        count += n
    return total_loss / count, total_metric / count


def fit(
    model: nn.Module,
    train_loader,
    val_loader=None,
    *,
    epochs: int,
    optimizer=None,
    loss_fn=None,
    metric_fn: Callable = accuracy,
    device=None,
    batch_fn: Callable = _default_batch,
    max_grad_norm: float | None = 1.0,
    amp: bool | None = None,
    patience: int | None = None,
    checkpoint: str | Path | None = None,
    resume: bool = False,
    scheduler=None,
    progress: bool = True,
    log=print,
) -> History:
    """Train ``model`` and return its :class:`History`.

    Args:
        model: the model; moved to ``device``.
        train_loader: yields training batches.
        val_loader: yields validation batches, evaluated after every epoch. Default: ``None``.
        epochs: the number of epochs to reach (counting resumed ones).
        optimizer: Default: ``Adam(model.parameters(), 1e-3)``.
        loss_fn: Default: ``nn.CrossEntropyLoss()``.
        metric_fn: ``metric_fn(output, target) -> float``. Default: :func:`accuracy`.
        device: Default: :func:`course_lib.torch_utils.get_device`.
        batch_fn: ``batch_fn(model, batch, device) -> (output, target)``. Default: batches of ``(x, y)``.
        max_grad_norm: clip the global gradient norm to this; ``None`` disables. Default: 1.0.
        amp: mixed precision (float16 autocast with gradient scaling). Default:
            on when training on CUDA, off elsewhere.
        patience: stop after this many epochs without a better validation
            metric, and restore the best weights. Default: ``None`` (never stop).
        checkpoint: file to save to after every epoch. Default: ``None``.
        resume: continue from ``checkpoint`` if it exists. Default: ``False``.
        scheduler: a learning-rate scheduler stepped once per epoch. Default: ``None``.
        progress: show a tqdm progress bar per epoch. Default: ``True``.
        log: called with one summary line per epoch; ``None`` for silence. Default: ``print``.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be >= 1; got {epochs}")
    _check_loader(train_loader, "train_loader")
    if val_loader is not None:
        _check_loader(val_loader, "val_loader")
    if patience is not None and val_loader is None:
        raise ValueError("early stopping (patience) needs a val_loader")
    if resume and checkpoint is None:
        raise ValueError("resume=True needs a checkpoint path")
    device = torch.device(device) if device is not None else get_device()
    model.to(device)
    optimizer = optimizer or torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = loss_fn or nn.CrossEntropyLoss()
    amp = (device.type == "cuda") if amp is None else amp
    if amp and device.type != "cuda":
        raise ValueError(f"mixed precision (amp=True) is only supported on CUDA here; the device is {device}")
    scaler = torch.amp.GradScaler("cuda", enabled=amp)

    history, start, best_state = History(device=str(device), amp=amp), 0, None
    if resume and Path(checkpoint).is_file():
        start, history, best_state = load_checkpoint(checkpoint, model, optimizer)
        model.to(device)
        if log:
            log(f"resumed from {checkpoint} after epoch {start}")
    best = max(history.val_metric) if history.val_metric else -math.inf

    for epoch in range(start + 1, epochs + 1):
        model.train()
        t0 = time.perf_counter()
        total_loss = total_metric = count = 0.0
        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(
                total=len(train_loader) if hasattr(train_loader, "__len__") else None,
                desc=f"epoch {epoch}/{epochs}",
                leave=False,
            )
        for batch in train_loader:
            optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=amp):
                out, y = batch_fn(model, batch, device)
                loss = loss_fn(out, y)
            if not torch.isfinite(loss):
                raise FloatingPointError(
                    f"loss became {loss.item()} in epoch {epoch}: lower the learning rate "
                    "or clip gradients (max_grad_norm)"
                )
            scaler.scale(loss).backward()
            if max_grad_norm is not None:
                scaler.unscale_(optimizer)
                nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
            scaler.step(optimizer)
            scaler.update()
            n = y.shape[0]
            total_loss += loss.item() * n
            total_metric += metric_fn(out.detach().float(), y) * n
            count += n
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{total_loss / count:.4f}", metric=f"{total_metric / count:.3f}")
        if bar is not None:
            bar.close()
        history.train_loss.append(total_loss / count)
        history.train_metric.append(total_metric / count)
        history.lr.append(optimizer.param_groups[0]["lr"])
        if val_loader is not None:
            vl, vm = evaluate(model, val_loader, loss_fn, metric_fn, device, batch_fn)
            history.val_loss.append(vl)
            history.val_metric.append(vm)
            if vm > best:
                best, history.best_epoch = vm, epoch
                best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
        if scheduler is not None:
            scheduler.step()
        history.seconds.append(time.perf_counter() - t0)
        if log:
            val = (
                f"  val loss {history.val_loss[-1]:.4f}  val metric {history.val_metric[-1]:.4f}"
                if val_loader is not None
                else ""
            )
            log(
                f"epoch {epoch:3d}  loss {history.train_loss[-1]:.4f}  metric {history.train_metric[-1]:.4f}"
                f"{val}  {history.seconds[-1]:.1f} s"
            )
        if checkpoint is not None:
            save_checkpoint(checkpoint, model, optimizer, epoch, history, best_state)
        if patience is not None and epoch - history.best_epoch >= patience:
            history.stopped_early = True
            if log:
                log(f"no better validation metric for {patience} epochs: stopping, best epoch {history.best_epoch}")
            break
    if patience is not None and best_state is not None:
        model.load_state_dict(best_state)
    return history
