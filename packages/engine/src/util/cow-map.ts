// The copy-on-write map lives in the image package (its store was the first user); one definition.
export { CowMap } from "@drydock/image";
