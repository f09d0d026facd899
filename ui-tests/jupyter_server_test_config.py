"""JupyterLab server for the galata tests (real server, real kernels)."""

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.IdentityProvider.token = ""  # noqa: F821
c.ServerApp.open_browser = False  # noqa: F821
# Short runs keep the tests quick; the defaults are for people.
c.NbHygieneApp.verify_timeout = 30  # noqa: F821
# Notebook 7 (`jupyter notebook`, playwright.notebook.config.js): tests reach the app.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
