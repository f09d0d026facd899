/**
 * Playwright against Notebook 7 (`jupyter notebook`, from the `notebook` package of the
 * test extras) and Debian's Chromium. Galata's page helpers assume JupyterLab, so the
 * specs under notebook7/ use plain Playwright locators.
 */
const labConfig = require('./playwright.config');

const port = process.env.NBHYGIENE_GALATA_PORT || '8888';

module.exports = {
  ...labConfig,
  testDir: './notebook7',
  outputDir: './test-results/notebook7',
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report/notebook7' }]
  ],
  use: {
    ...labConfig.use,
    baseURL: `http://localhost:${port}`
  },
  webServer: {
    ...labConfig.webServer,
    command: `jlpm start:notebook --ServerApp.port=${port}`,
    url: `http://localhost:${port}/tree`
  }
};
