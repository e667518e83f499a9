import { Elysia } from "elysia";
import type { Deps } from "./deps";

export function apiRoutes(deps: Deps) {
  return new Elysia();
}
