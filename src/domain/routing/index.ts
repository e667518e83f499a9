// The route optimizer's public face: pure functions, no database.
export { type CheckResult, checkSolution, type Violation, type ViolationKind } from "./checker";
export type * from "./model";
export { LOCKED_FACTOR, MANDATORY_FACTOR, objectiveWeightOf } from "./model";
export { DEFAULT_TIME_LIMIT_MS, optimize } from "./optimize";
export { formatSolomonRoutes, parseSolomon, type SolomonInstance, solomonInput } from "./solomon";
export {
  DEFAULT_ROAD_FACTOR,
  DEFAULT_SPEED_KMH,
  type GeoPoint,
  haversineKm,
  OsrmError,
  type OsrmOptions,
  osrmMatrix,
  type StraightLineOptions,
  straightLineMatrix,
  TravelMatrixCache,
  type TravelSource,
} from "./travel";
export { optimizeInWorker, type WorkerRunOptions, type WorkerRunResult } from "./worker-client";
