/** Provisioning: plan, apply, fallback, deprovision, and their renderings. Adapters import from here. */
export { connect, endpointHostOf, reconnect, type Connection } from './connect';
export { buildPlan, countActions, planHasChanges, type PlanOptions } from './plan';
export { applyPlan } from './apply';
export { deprovision, type DeprovisionOptions } from './deprovision';
export { renderPlanText, renderApplyText, planToJson, type RenderOptions } from './render';
export { agentAsUser } from './fallback';
export type { ApplyOptions, ApplyProgress, ApplyResult, ItemError, ItemResult, ItemStatus, Plan, PlanAction, PlanCounts, PlanItem } from './types';
