/**
 * Galata against a real JupyterLab server and Debian's Chromium (no browser download).
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// NBHYGIENE_GALATA_PORT moves the test server off 8888 (e.g. beside a running JupyterLab).
const port = process.env.NBHYGIENE_GALATA_PORT || '8888';

module.exports = {
  ...baseConfig,
  // Notebook 7 specs (notebook7/) have their own config: playwright.notebook.config.js.
  testDir: './tests',
  timeout: 120000,
  expect: { timeout: 20000 },
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    video: 'off',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium by default; elsewhere (e.g. Ubuntu, whose apt `chromium` is a snap
      // stub) point NBHYGIENE_CHROMIUM at a system Chrome or Chromium binary.
      executablePath: process.env.NBHYGIENE_CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic'
      ]
    }
  },
  webServer: {
    command: `jlpm start --ServerApp.port=${port}`,
    url: `http://localhost:${port}/lab`,
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI,
    // The server logs warnings and errors only (jupyter_server_test_config.py), on stderr:
    // shown, so a failing server is visible, without burying the test list.
    stdout: 'ignore',
    stderr: 'pipe'
  }
};
