import { describe, expect, it, vi } from 'vitest';
import { startAdjustmentEffectJob } from './adjustment-effect.job.js';

const empty = { today: '2026-11-23', applied: [], returned: [], failed: [] };

describe('adjustment effect job', () => {
  it('runs at start and on its interval, never two runs at once, and stops cleanly', async () => {
    vi.useFakeTimers();
    try {
      let release: () => void = () => {};
      const applyDue = vi.fn(() => new Promise<typeof empty>((resolve) => (release = () => resolve(empty))));
      const log = { info: vi.fn(), error: vi.fn() };
      const job = startAdjustmentEffectJob({ adjustments: { applyDue }, log, intervalMs: 1000 });
      expect(applyDue).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2500);
      // Still running: the timer does not start a second run.
      expect(applyDue).toHaveBeenCalledTimes(1);
      release();
      await vi.advanceTimersByTimeAsync(1000);
      expect(applyDue).toHaveBeenCalledTimes(2);
      const stopping = job.stop();
      release();
      await stopping;
      await vi.advanceTimersByTimeAsync(5000);
      expect(applyDue).toHaveBeenCalledTimes(2);
      expect(log.error).not.toHaveBeenCalled();
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failed run and keeps going', async () => {
    const applyDue = vi
      .fn()
      .mockRejectedValueOnce(new Error('database away'))
      .mockResolvedValue({ ...empty, applied: [{ id: 'a', communityId: 'c', effectiveDate: '2026-11-23', moved: 2 }] });
    const log = { info: vi.fn(), error: vi.fn() };
    const job = startAdjustmentEffectJob({ adjustments: { applyDue }, log, intervalMs: 60_000 });
    await job.run();
    expect(log.error).toHaveBeenCalledTimes(1);
    await job.run();
    expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ applied: [expect.objectContaining({ moved: 2 })] }), expect.any(String));
    await job.stop();
  });
});
