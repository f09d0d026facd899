import { shownBand } from '../widgets/ScoreView';

describe('shownBand', () => {
  it('never styles a notebook that breaks on re-run or is not reproducible as good or fair', () => {
    expect(shownBand('good', false)).toBe('good');
    expect(shownBand('fair', false)).toBe('fair');
    expect(shownBand('poor', false)).toBe('poor');
    expect(shownBand('breaks on re-run', false)).toBe('breaks');
    expect(shownBand('good', true)).toBe('breaks');
    expect(shownBand('fair', true)).toBe('breaks');
  });
});
