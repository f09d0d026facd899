/** The settings of the Settings Editor as the server takes them. */

/**
 * The `rules` setting as the analyzer takes it: an empty `select` in the form means
 * "every rule" (for the analyzer it would mean none), empty maps mean the defaults.
 */
export function analysisSettings(
  rules: Record<string, unknown>
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rules ?? {})) {
    if (value === null || value === undefined) {
      continue;
    }
    if (key === 'select' && Array.isArray(value) && value.length === 0) {
      continue;
    }
    out[key] = value;
  }
  return out;
}
