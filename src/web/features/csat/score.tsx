import { Rate } from 'antd';
import { csatFaces } from '../../../shared/csat-card.ts';

/** A score as the shopper saw it: stars, or the one face they picked. */
export function Score({ score, scale, size = 14 }: { score: number; scale: 'stars' | 'faces'; size?: number }) {
  if (scale === 'faces')
    return (
      <span style={{ fontSize: size + 4 }} aria-label={`${score}/5`} data-testid="csat-score" data-score={score}>
        {csatFaces[score - 1]}
      </span>
    );
  return (
    <span data-testid="csat-score" data-score={score}>
      <Rate disabled value={score} style={{ fontSize: size }} />
    </span>
  );
}
