// The filesystem value lives in the engine (containers and volumes hold files too); the host
// shell imports it from here.
export * from "@drydock/engine/fs";
