"""get_device, set_seed and the fit loop on CPU; GPU tests are marked and skip without CUDA."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from course_lib import torch_utils, training

gpu = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def toy_data(n=256, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 4, generator=g)
    y = (x[:, 0] + x[:, 1] > 0).long()
    return TensorDataset(x, y)


def loaders(n=256, batch=32):
    return (
        DataLoader(toy_data(n, 0), batch_size=batch, shuffle=True, generator=torch.Generator().manual_seed(0)),
        DataLoader(toy_data(n // 2, 1), batch_size=batch),
    )


def model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 2))


class TestDevice:
    def test_default_is_cpu_without_accelerators(self, monkeypatch):
        monkeypatch.delenv(torch_utils.DEVICE_ENV, raising=False)
        expected = "cuda" if torch.cuda.is_available() else ("mps" if torch.backends.mps.is_available() else "cpu")
        assert torch_utils.get_device().type == expected

    def test_environment_override(self, monkeypatch):
        monkeypatch.setenv(torch_utils.DEVICE_ENV, "cpu")
        assert torch_utils.get_device() == torch.device("cpu")
        assert "computing on cpu" in torch_utils.device_report()

    @pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error without CUDA")
    def test_unavailable_device_is_refused(self, monkeypatch):
        monkeypatch.setenv(torch_utils.DEVICE_ENV, "cuda")
        with pytest.raises(ValueError, match="CUDA is not available"):
            torch_utils.get_device()

    def test_nonsense_device_name(self):
        with pytest.raises(ValueError, match="is not a device name"):
            torch_utils.get_device("gpu0")


class TestSeed:
    def test_same_seed_same_numbers(self):
        torch_utils.set_seed(3)
        a = (np.random.rand(), torch.rand(1).item())
        torch_utils.set_seed(3)
        assert (np.random.rand(), torch.rand(1).item()) == a

    def test_cudnn_flags_really_change(self):
        torch_utils.set_seed(0, deterministic=False)
        assert torch.backends.cudnn.deterministic is False and torch.backends.cudnn.benchmark is True
        torch_utils.set_seed(0, deterministic=True)
        assert torch.backends.cudnn.deterministic is True and torch.backends.cudnn.benchmark is False
        assert not hasattr(torch.backends.cudnn, "determinstic")


class TestFit:
    def test_learns_and_records_history(self):
        train, val = loaders()
        m = model()
        h = training.fit(
            m,
            train,
            val,
            epochs=15,
            optimizer=torch.optim.Adam(m.parameters(), 0.05),
            device="cpu",
            progress=False,
            log=None,
        )
        assert len(h.train_loss) == len(h.val_metric) == len(h.seconds) == 15
        assert h.train_loss[-1] < h.train_loss[0] and h.val_metric[-1] > 0.9
        assert h.device == "cpu" and h.amp is False

    def test_early_stopping_restores_best_weights(self):
        train, val = loaders()
        m = model()
        h = training.fit(
            m,
            train,
            val,
            epochs=60,
            optimizer=torch.optim.SGD(m.parameters(), 0.0),
            device="cpu",
            patience=3,
            progress=False,
            log=None,
        )  # lr 0: nothing improves after epoch 1
        assert h.stopped_early and h.best_epoch == 1 and len(h.train_loss) == 4

    def test_checkpoint_resume_continues_where_it_stopped(self, tmp_path):
        train, val = loaders()
        ckpt = tmp_path / "run.pt"
        m = model()
        opt = torch.optim.Adam(m.parameters(), 0.01)
        training.fit(m, train, val, epochs=2, optimizer=opt, device="cpu", checkpoint=ckpt, progress=False, log=None)
        m2 = model()
        opt2 = torch.optim.Adam(m2.parameters(), 0.01)
        lines = []
        h = training.fit(
            m2,
            train,
            val,
            epochs=4,
            optimizer=opt2,
            device="cpu",
            checkpoint=ckpt,
            resume=True,
            progress=False,
            log=lines.append,
        )
        assert lines[0].startswith("resumed from") and len(h.train_loss) == 4
        assert [ln.split()[1] for ln in lines[1:]] == ["3", "4"]

    def test_checkpoint_of_another_model_is_refused(self, tmp_path):
        m = model()
        training.save_checkpoint(tmp_path / "c.pt", m, torch.optim.Adam(m.parameters()), 1, training.History())
        other = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
        with pytest.raises(training.CheckpointError, match=r"0.weight: checkpoint \(16, 4\) vs model \(8, 4\)"):
            training.load_checkpoint(tmp_path / "c.pt", other)
        (tmp_path / "junk.pt").write_bytes(b"not a checkpoint")
        with pytest.raises(training.CheckpointError, match="not a readable checkpoint"):
            training.load_checkpoint(tmp_path / "junk.pt", m)

    def test_bad_inputs_are_explained(self):
        train, val = loaders()
        empty = DataLoader(TensorDataset(torch.zeros(0, 4), torch.zeros(0).long()), batch_size=4)
        with pytest.raises(ValueError, match="train_loader is empty"):
            training.fit(model(), empty, epochs=1, device="cpu", log=None)
        with pytest.raises(ValueError, match="needs a val_loader"):
            training.fit(model(), train, epochs=1, patience=2, device="cpu", log=None)
        with pytest.raises(ValueError, match="epochs must be >= 1"):
            training.fit(model(), train, epochs=0, device="cpu")
        with pytest.raises(ValueError, match="only supported on CUDA"):
            training.fit(model(), train, epochs=1, device="cpu", amp=True)
        wrong = DataLoader(TensorDataset(torch.zeros(8, 3), torch.zeros(8).long()), batch_size=4)
        with pytest.raises(RuntimeError, match="shapes cannot be multiplied"):
            training.fit(model(), wrong, epochs=1, device="cpu", progress=False, log=None)
        triples = DataLoader(TensorDataset(torch.zeros(8, 4), torch.zeros(8).long(), torch.zeros(8)), batch_size=4)
        with pytest.raises(ValueError, match="expected batches of \\(inputs, targets\\)"):
            training.fit(model(), triples, epochs=1, device="cpu", progress=False, log=None)

    def test_diverging_loss_is_reported(self):
        train, _ = loaders()
        m = model()
        with torch.no_grad():
            m[0].weight.fill_(float("nan"))
        with pytest.raises(FloatingPointError, match="loss became nan"):
            training.fit(m, train, epochs=1, device="cpu", progress=False, log=None)

    def test_history_plots(self):
        import matplotlib

        matplotlib.use("Agg")
        h = training.History(train_loss=[1, 0.5], train_metric=[0.5, 0.8], val_loss=[1, 0.6], val_metric=[0.5, 0.7])
        ax = h.plot()
        assert len(ax.lines) == 2 and ax.get_xlabel() == "epoch"


@gpu
@pytest.mark.gpu
class TestGPU:
    def test_fit_on_cuda_with_and_without_amp(self):
        train, val = loaders(1024, 64)
        for amp in (False, True):
            m = model()
            h = training.fit(
                m,
                train,
                val,
                epochs=5,
                optimizer=torch.optim.Adam(m.parameters(), 0.05),
                device="cuda",
                amp=amp,
                progress=False,
                log=None,
            )
            assert h.amp is amp and h.device.startswith("cuda")
            assert next(m.parameters()).is_cuda and h.val_metric[-1] > 0.9

    def test_default_device_is_cuda(self, monkeypatch):
        monkeypatch.delenv(torch_utils.DEVICE_ENV, raising=False)
        assert torch_utils.get_device().type == "cuda"
        assert "CUDA" in torch_utils.device_report()

    def test_checkpoint_from_gpu_loads_on_cpu(self, tmp_path):
        m = model().cuda()
        training.save_checkpoint(tmp_path / "g.pt", m, torch.optim.Adam(m.parameters()), 1, training.History())
        cpu_model = model()
        training.load_checkpoint(tmp_path / "g.pt", cpu_model)
        assert not next(cpu_model.parameters()).is_cuda
