import { ExecutionHistory } from '../history';

describe('ExecutionHistory', () => {
  it('records the source as scheduled, not as typed since', () => {
    const history = new ExecutionHistory();
    history.scheduled('a', 'x = 1');
    history.executed('a', 'x = 1  # typed while running', 1, true);
    history.executed('b', 'y = x', 2, false);
    expect(history.toJSON()).toEqual({
      executions: [
        { cell_id: 'a', source: 'x = 1', execution_count: 1, status: 'ok' },
        { cell_id: 'b', source: 'y = x', execution_count: 2, status: 'error' }
      ]
    });
    expect(history.length).toBe(2);
  });

  it('forgets everything on reset (kernel restart)', () => {
    const history = new ExecutionHistory();
    history.scheduled('a', 'x = 1');
    history.executed('a', 'x = 1', 1, true);
    history.scheduled('b', 'pending');
    history.reset();
    history.executed('b', 'fallback', 1, true);
    expect(history.toJSON().executions).toEqual([
      { cell_id: 'b', source: 'fallback', execution_count: 1, status: 'ok' }
    ]);
  });

  it('hands out a copy', () => {
    const history = new ExecutionHistory();
    history.executed('a', 'x', 1, true);
    history.toJSON().executions.pop();
    expect(history.length).toBe(1);
  });
});
