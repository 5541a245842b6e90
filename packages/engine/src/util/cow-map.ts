// The copy-on-write map is the kernel's (its network value holds one; kernel/src/cow-map.test.ts
// tests it); the engine imports it from here. One definition.
export { CowMap } from "@drydock/kernel";
