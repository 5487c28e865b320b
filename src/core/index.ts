export { defineContract, toSnakeCase } from './contract';
export type {
  AnyContract,
  Contract,
  ConversionName,
  EventDefinition,
  EventDefinitions,
  EventName,
  PayloadInput,
  PayloadOutput,
  PayloadSchema,
} from './contract';
export { contractToJSON, contractToMarkdown } from './contract-document';
export type { ContractDocument, EventDocument, AttributeDocument } from './contract-document';
export { diffContracts } from './contract-diff';
export type { ContractChange, ContractChangeKind, ContractDiff } from './contract-diff';
export { createTracker } from './tracker';
export type { HandoffResult, Tracker, TrackerOptions, TrackResult } from './tracker';
export type { TrackOptions } from './validation';
export type { Envelope, EnvelopeIdentity, EnvelopeOf } from './envelope';
export type { Destination, SendResult } from './destination';
export type { DropReason, RecordType, TrackingRecord } from './records';
export { ContractError, ResponseError, TrackingError } from './errors';
export type { TrackingErrorReason } from './errors';
export { eventIdFor, isUuid, randomEventId, EVENT_ID_NAMESPACE } from './event-id';
export { CLICK_ID_PARAMS, decorateUrl, UTM_PARAMS } from './campaign';
export type { CampaignContext, CampaignParam, Touch } from './campaign';
export type { ConsentCategory, ConsentState, ConsentUpdate, ConsentValue } from './consent';
export { browserStorage, memoryStorage, resilientStorage } from './storage';
export type { KeyValueStorage } from './storage';
export type { SubmissionSnapshot, SubmitState } from './submission';
export type { StandardSchemaV1 } from './standard-schema';
