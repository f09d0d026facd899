"""JupyterLab server for the galata tests (real server, real kernels)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.IdentityProvider.token = ""  # noqa: F821
c.ServerApp.open_browser = False  # noqa: F821
# Short runs keep the tests quick; the defaults are for people.
c.NbHygieneApp.verify_timeout = 30  # noqa: F821
# Warnings and errors only: the test list stays readable and failures still show in the log.
c.Application.log_level = "WARN"  # noqa: F821
c.ServerApp.log_level = "WARN"  # noqa: F821
