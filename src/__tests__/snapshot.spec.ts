import { OutputSummaries, snapshotCell } from '../snapshot';

function output(json: Record<string, any>) {
  return { type: json.output_type, toJSON: jest.fn(() => json) };
}

function codeCell(outputs: any[], tags?: string[]) {
  return {
    id: 'c1',
    type: 'code',
    executionCount: 3,
    sharedModel: { getSource: () => 'plt.plot(x)' },
    outputs: { length: outputs.length, get: (i: number) => outputs[i] },
    getMetadata: (key: string) => (key === 'tags' ? tags : undefined)
  } as any;
}

describe('snapshotCell', () => {
  it('summarises each output once (by identity); streams, which grow in place, each time', () => {
    const image = output({
      output_type: 'display_data',
      data: { 'image/png': 'iVBOR'.repeat(1000) },
      metadata: {}
    });
    const stream = output({
      output_type: 'stream',
      name: 'stdout',
      text: 'hi\n'
    });
    const cell = codeCell([image, stream], ['raises-exception', 1 as any]);
    const summaries = new OutputSummaries();
    const first = snapshotCell(cell, summaries);
    const second = snapshotCell(cell, summaries);
    expect(first).toEqual({
      id: 'c1',
      cell_type: 'code',
      source: 'plt.plot(x)',
      execution_count: 3,
      outputs: [
        expect.objectContaining({
          output_type: 'display_data',
          mime_types: ['image/png']
        }),
        expect.objectContaining({ output_type: 'stream', name: 'stdout' })
      ],
      metadata: { tags: ['raises-exception'] }
    });
    expect(second.outputs[0]).toBe(first.outputs[0]);
    expect(image.toJSON).toHaveBeenCalledTimes(1);
    expect(stream.toJSON).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(second)).not.toContain('iVBOR');
  });
});
