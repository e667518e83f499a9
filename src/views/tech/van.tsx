// The technician's van on the phone: what it holds, low stock marked. No JavaScript needed.
import type { StockLevelRow, StockLocationRow } from "../../domain/fsm/inventory";
import { TechPage } from "./tech";

export function VanPage({
  csrf,
  name,
  van,
  levels,
}: {
  csrf: string;
  name: string;
  van: StockLocationRow | null;
  levels: StockLevelRow[];
}) {
  const title = van?.name ?? "My van";
  return (
    <TechPage title={title} csrf={csrf} name={name}>
      <h1 safe>{title}</h1>
      {!van ? (
        <p class="empty">You have no van on record yet. Ask a dispatcher to set one up.</p>
      ) : levels.length === 0 ? (
        <p class="empty">Your van holds no parts on record.</p>
      ) : (
        <ul class="van-stock">
          {levels.map((l) => (
            <li class={l.below ? "below-reorder" : ""}>
              <strong class={l.quantity < 0 ? "stock-negative" : ""} safe>
                {String(l.quantity)}
              </strong>{" "}
              × <span safe>{`${l.sku} ${l.partName}`}</span>
              {l.below ? (
                <>
                  {" "}
                  <span class="badge stock-low">Low</span>
                </>
              ) : (
                ""
              )}
            </li>
          ))}
        </ul>
      )}
      <p class="muted">Parts you record on a visit come out of this van.</p>
    </TechPage>
  );
}
