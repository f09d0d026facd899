"""The Jupyter server extension: configuration (traitlets) and routes."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from jupyter_server.extension.application import ExtensionApp
from traitlets import Float, Integer

from .handlers import routes
from .handlers.analyze import POOL_KEY
from .handlers.analyze import SERVICE_KEY as ANALYZE_KEY
from .handlers.verify import SERVICE_KEY
from .handlers.verify_support import VerifyService, server_kernel_manager_factory
from .repro import RunOptions, RunRegistry
from .sessions import AnalyzeService, SessionStore


class NbHygieneApp(ExtensionApp):
    """Serves `/nbhygiene/*`: notebook analysis and reproducibility runs."""

    name = "jupyterlab_nbhygiene"
    load_other_extensions = True

    verify_timeout = Float(
        120.0,
        help="Seconds a cell may run during a verify run before it is interrupted "
        "(a request may ask for another value).",
    ).tag(config=True)
    startup_timeout = Float(
        60.0, help="Seconds a verify run waits for its fresh kernel to start and answer."
    ).tag(config=True)
    max_concurrent_runs = Integer(
        2, help="Verify runs (each with its own kernel) at the same time; later ones queue."
    ).tag(config=True)
    run_ttl = Float(3600.0, help="Seconds a finished verify run's status stays available.").tag(
        config=True
    )
    max_output_bytes = Integer(
        2_000_000,
        help="Output captured per cell during a verify run; beyond it the output is truncated.",
    ).tag(config=True)

    analysis_workers = Integer(
        2,
        help="Analyses computed at the same time, each in a thread; later requests wait their "
        "turn. The analysis is pure Python: more threads do not finish a burst sooner, they "
        "take the interpreter lock from the server's other routes.",
    ).tag(config=True)

    analysis_sessions = Integer(
        16,
        help="Open notebooks whose last analysis the server keeps, so that the next request "
        "after an edit sends only what changed (a session per user and notebook tab; each "
        "keeps about 15 KB per code cell). Beyond it the least recently used session is "
        "dropped; its client then sends the full notebook again.",
    ).tag(config=True)
    analysis_session_ttl = Float(
        3600.0,
        help="Seconds an analysis session is kept without a request; a closed notebook's "
        "session is dropped at once.",
    ).tag(config=True)

    def initialize_handlers(self) -> None:
        self.handlers.extend(routes())

    def initialize_settings(self) -> None:
        self.registry = RunRegistry(max_concurrent=self.max_concurrent_runs, ttl=self.run_ttl)
        self.analysis_pool = ThreadPoolExecutor(
            max_workers=max(1, self.analysis_workers), thread_name_prefix="nbhygiene-analysis"
        )
        self.settings[POOL_KEY] = self.analysis_pool
        self.session_store = SessionStore(
            max_sessions=self.analysis_sessions, ttl=self.analysis_session_ttl
        )
        self.settings[ANALYZE_KEY] = AnalyzeService(self.session_store)
        server = self.serverapp
        assert server is not None  # set before initialize_settings is called
        contents = server.contents_manager
        kernels = server.kernel_manager
        self.settings[SERVICE_KEY] = VerifyService(
            registry=self.registry,
            km_factory=server_kernel_manager_factory(kernels),
            options=RunOptions(
                timeout=self.verify_timeout,
                startup_timeout=self.startup_timeout,
                max_output_bytes=self.max_output_bytes,
            ),
            root_dir=str(getattr(contents, "root_dir", None) or server.root_dir),
            allow_hidden=bool(getattr(contents, "allow_hidden", False)),
            kernel_spec_manager=server.kernel_spec_manager,
            default_kernel=str(getattr(kernels, "default_kernel_name", None) or "python3"),
            pass_kernel_name=bool(server.gateway_config.gateway_enabled),
        )
        self.log.info("nbhygiene: analysis and verify routes enabled")

    async def stop_extension(self) -> None:
        """Called by the server on shutdown: cancel the verify runs and stop their kernels."""
        registry = getattr(self, "registry", None)
        if registry is not None:
            await registry.shutdown()
        pool = getattr(self, "analysis_pool", None)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    def _extra(self) -> dict[str, Any]:
        return {}
