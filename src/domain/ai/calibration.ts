// Isotonic calibration: a non-decreasing map from a model's top probability to how often such
// predictions were right on examples the model had not seen. A softmax temperature alone cannot fix
// a model that is modest at 0.6 but overconfident at 0.9; the auto-apply threshold needs the latter.

export interface IsotonicCurve {
  /** Increasing confidences and the measured accuracy at each; linear in between, flat outside. */
  x: number[];
  y: number[];
}

/** Pool-adjacent-violators over (confidence, right?) pairs; blocks become the curve's points. */
export function fitIsotonic(confidences: number[], correct: boolean[]): IsotonicCurve {
  const order = confidences.map((_, i) => i).sort((a, b) => confidences[a] - confidences[b]);
  const blocks: { sumX: number; sumY: number; count: number }[] = [];
  for (const i of order) {
    blocks.push({ sumX: confidences[i], sumY: correct[i] ? 1 : 0, count: 1 });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const previous = blocks[blocks.length - 2];
      if (previous.sumY / previous.count < last.sumY / last.count) break;
      previous.sumX += last.sumX;
      previous.sumY += last.sumY;
      previous.count += last.count;
      blocks.pop();
    }
  }
  return {
    x: blocks.map((b) => round(b.sumX / b.count)),
    y: blocks.map((b) => round(b.sumY / b.count)),
  };
}

/** Rounded so the curve serializes compactly and identically. */
function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function applyIsotonic(curve: IsotonicCurve, confidence: number): number {
  const { x, y } = curve;
  if (x.length === 0) return confidence;
  if (confidence <= x[0]) return y[0];
  if (confidence >= x[x.length - 1]) return y[y.length - 1];
  let low = 0;
  let high = x.length - 1;
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (x[middle] <= confidence) low = middle;
    else high = middle;
  }
  const share = (confidence - x[low]) / (x[high] - x[low]);
  return y[low] + share * (y[high] - y[low]);
}
