export * from "./auth";
export * from "./crm";
export * from "./events";
export * from "./jobs";
export * from "./orgs";
export * from "./sla";
export * from "./teams";
export * from "./tickets";
