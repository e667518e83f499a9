export * from "./auth";
export * from "./crm";
export * from "./email";
export * from "./events";
export * from "./jobs";
export * from "./orgs";
export * from "./teams";
export * from "./tickets";
