export { faultSchedule, simSeed, type FaultKind, type FaultScheduleOptions } from "./faults.js";
export { runChecked } from "./checked.js";
