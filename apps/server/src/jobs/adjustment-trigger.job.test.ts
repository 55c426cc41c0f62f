import { describe, expect, it, vi } from 'vitest';
import { startAdjustmentTriggerJob } from './adjustment-trigger.job.js';

describe('adjustment trigger job', () => {
  it('scans at start and on its interval, never two scans at once, logs only when something was found', async () => {
    vi.useFakeTimers();
    try {
      let release: (r: { gridsChecked: number; uncollected: number; detected: number }) => void = () => {};
      const scanAll = vi.fn(() => new Promise<{ gridsChecked: number; uncollected: number; detected: number }>((resolve) => (release = resolve)));
      const log = { info: vi.fn(), error: vi.fn() };
      const job = startAdjustmentTriggerJob({ triggers: { scanAll }, log, intervalMs: 1000 });
      expect(scanAll).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2500);
      expect(scanAll).toHaveBeenCalledTimes(1);
      release({ gridsChecked: 5, uncollected: 0, detected: 0 });
      await vi.advanceTimersByTimeAsync(1000);
      expect(scanAll).toHaveBeenCalledTimes(2);
      expect(log.info).not.toHaveBeenCalled();
      release({ gridsChecked: 5, uncollected: 0, detected: 2 });
      await vi.advanceTimersByTimeAsync(0);
      expect(log.info).toHaveBeenCalledWith(expect.objectContaining({ detected: 2 }), expect.any(String));
      await job.stop();
      await vi.advanceTimersByTimeAsync(5000);
      expect(scanAll).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('logs a failed scan and keeps going', async () => {
    const scanAll = vi.fn().mockRejectedValueOnce(new Error('database away')).mockResolvedValue({ gridsChecked: 1, uncollected: 0, detected: 0 });
    const log = { info: vi.fn(), error: vi.fn() };
    const job = startAdjustmentTriggerJob({ triggers: { scanAll }, log, intervalMs: 60_000 });
    await job.run();
    expect(log.error).toHaveBeenCalledTimes(1);
    await job.run();
    expect(scanAll).toHaveBeenCalledTimes(2);
    await job.stop();
  });
});
