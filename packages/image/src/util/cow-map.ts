// The copy-on-write map is the kernel's (its network value holds one); the image store was its
// first user and the engine imports it from here. One definition.
export { CowMap } from "@drydock/kernel";
