"""JupyterLab server for the galata tests (real server, real kernels)."""

import os
from pathlib import Path

from jupyterlab.galata import configure_jupyter_server

configure_jupyter_server(c)  # noqa: F821
c.ServerApp.allow_root = True  # noqa: F821
c.IdentityProvider.token = ""  # noqa: F821
c.ServerApp.open_browser = False  # noqa: F821
# Short runs keep the tests quick; the defaults are for people.
c.NbHygieneApp.verify_timeout = 30  # noqa: F821
# Notebook 7 (`jupyter notebook`, playwright.notebook.config.js): tests reach the app.
c.JupyterNotebookApp.expose_app_in_browser = True  # noqa: F821
# Errors only on the console, which Playwright prints among the tests: the test list stays
# readable and a failing server still shows. NBHYGIENE_GALATA_LOG=INFO brings the full log back.
c.Application.log_level = os.environ.get("NBHYGIENE_GALATA_LOG", "ERROR")  # noqa: F821
c.ServerApp.log_level = os.environ.get("NBHYGIENE_GALATA_LOG", "ERROR")  # noqa: F821
# The kernels this server starts read ipython/profile_default (errors only, like the server).
os.environ.setdefault("IPYTHONDIR", str(Path(__file__).parent / "ipython"))
