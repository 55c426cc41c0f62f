import type { CaseSuggestResult } from '@gridgov/contracts/intake';
import { useEffect, useState } from 'react';
import { intakeApi } from '../api';

export type Point = { lng: number; lat: number };

/** Category suggestions and open cases nearby, following the text and the point (debounced 400 ms). */
export function useReportSuggest(description: string | undefined, point: Point | null | undefined, categoryId: string | undefined) {
  const [suggest, setSuggest] = useState<CaseSuggestResult | null>(null);
  useEffect(() => {
    const text = (description ?? '').trim();
    if (text.length < 2 && !point) {
      setSuggest(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      intakeApi
        .suggest({ text: text || undefined, location: point ?? undefined, categoryId })
        .then((s) => live && setSuggest(s))
        .catch(() => live && setSuggest(null));
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [description, point, categoryId]);
  return suggest;
}
