import type { Database } from "../../db/client";
import type { Config } from "../config";
import type { EventBus } from "../domain/events/bus";
import type { FileStore } from "../domain/files/store";

/** What the HTTP layer needs from start-up; tests build their own. */
export interface Deps {
  database: Database;
  config: Config;
  bus: EventBus;
  files: FileStore;
  /** The current time; tests may pin it. */
  clock: () => Date;
}
