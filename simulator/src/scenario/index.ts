// Scenarios (docs/scenarios.md): the file format, the operation library and the sequential runner.
export * from './types';
export { parseScenario, type ParseOptions, type ParseResult } from './parse';
export { OPERATIONS, HARDWARE, matchOperation, operationNamed, type OperationCase, type OperationDef, type OperationVariant } from './operations';
export { PROPERTIES, propertyIds, type PropertyDef } from './properties';
export { VMA_KINDS } from './vmaKinds';
export { WRITENOTIFY_REASONS, type RenderedState } from './state';
export { interleavingProgram } from './program';
export { runScenario, scenarioProfile, type FunctionLookup, type RunOptions, type ScenarioRun, type StepFinding, type StepResult } from './run';
