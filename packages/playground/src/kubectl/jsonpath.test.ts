// kubectl's JSONPath dialect, checked against client-go's own cases
// (staging/src/k8s.io/client-go/util/jsonpath/jsonpath_test.go: TestTypesInput, TestStructInput,
// TestJSONInput, TestKubernetes, TestEmptyRange) and customcolumn.go's RelaxedJSONPathExpression.
import { describe, expect, it } from "vitest";
import { JsonPathError, executeJsonPath, parseJsonPath, relaxedJsonPath } from "./jsonpath.js";

const run = (template: string, data: unknown) => executeJsonPath(parseJsonPath(template), data);

const types = {
  bools: [true, false, true, false], integers: [1, 2, 3, 4], floats: [1.0, 2.2, 3.3, 4.0], strings: ["one", "two", "three", "four"],
  maps: [{ name: "one", value: 1 }, { name: "two", value: 2.02 }, { name: "three", value: 3.03 }, { name: "four", value: 4.04 }],
};
const store = {
  Name: "jsonpath",
  Book: [
    { Category: "reference", Author: "Nigel Rees", Title: "Sayings of the Centurey", Price: 8.95 },
    { Category: "fiction", Author: "Evelyn Waugh", Title: "Sword of Honour", Price: 12.99 },
    { Category: "fiction", Author: "Herman Melville", Title: "Moby Dick", Price: 8.99 },
  ],
  Bicycle: [{ Color: "red", Price: 19.95, IsNew: true }, { Color: "green", Price: 20.01, IsNew: false }],
  Labels: { engieer: 10, "web/html": 15, "k8s-app": 20 },
  Employees: { jason: "manager", dan: "clerk" },
};
const nodes = {
  kind: "List",
  items: [
    { kind: "None", metadata: { name: "127.0.0.1", labels: { "kubernetes.io/hostname": "127.0.0.1" } }, status: { capacity: { cpu: "4" }, ready: true, addresses: [{ type: "LegacyHostIP", address: "127.0.0.1" }] } },
    { kind: "None", metadata: { name: "127.0.0.2", labels: { "kubernetes.io/hostname": "127.0.0.2" } }, status: { capacity: { cpu: "8" }, ready: false, addresses: [{ type: "LegacyHostIP", address: "127.0.0.2" }, { type: "another", address: "127.0.0.3" }] } },
  ],
  users: [{ name: "myself", user: {} }, { name: "e2e", user: { username: "admin", password: "secret" } }],
};

describe("client-go's jsonpath cases", () => {
  it.each([
    ["{ .bools }", types, "[true,false,true,false]"],
    ["{ .bools[-1] }", types, "false"],
    ["{ .bools[:4:2] }", types, "true true"],
    ["{ .integers[-2] }", types, "3"],
    ["{ .floats }", types, "[1,2.2,3.3,4]"],
    ["{ .strings[0:2] }", types, "one two"],
    ["{ .maps[0] }", types, '{"name":"one","value":1}'],
    ["{ .maps[1::2] }", types, '{"name":"two","value":2.02} {"name":"four","value":4.04}'],
    ["hello jsonpath", null, "hello jsonpath"],
    ["{..}", [1, 2, 3], "[1,2,3] 1 2 3"],
    ["{[?(@<5)]}", [2, 6, 3, 7], "2 3"],
    ['{"{"}', null, "{"],
    ["{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"],
    ["hello {.Name}", store, "hello jsonpath"],
    ["{$.Labels.web/html}", store, "15"],
    ["{.Labels.k8s-app}", store, "20"],
    ["{.Bicycle[*].Color}", store, "red green"],
    ["{.Book[*].Author}", store, "Nigel Rees Evelyn Waugh Herman Melville"],
    ["{..Price}", store, "8.95 12.99 8.99 19.95 20.01"],
    ["{.Book[-1:].Title}", store, "Moby Dick"],
    ["{.Bicycle[?(@.IsNew==true)].Color}", store, "red"],
    ["{.hello}", store, ""],
    ["before-{.hello}after", store, "before-after"],
    ["{[?(@.z)].id}", [{ id: "i1", x: 4 }, { id: "i2", z: 1 }, { id: "i5", z: 1 }], "i2 i5"],
    ["{[0]['id']}", [{ id: "i1" }], "i1"],
    ["{range .items[*]}{.metadata.name}, {end}{.kind}", nodes, "127.0.0.1, 127.0.0.2, List"],
    ['{range .items[*]}{.metadata.name}{"\\t"}{end}', nodes, "127.0.0.1\t127.0.0.2\t"],
    ["{.items[*].status.addresses[*].address}", nodes, "127.0.0.1 127.0.0.2 127.0.0.3"],
    ["{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", nodes, "127.0.0.1, 127.0.0.2, 127.0.0.3, "],
    ["{.items[*].metadata.name}", nodes, "127.0.0.1 127.0.0.2"],
    ["{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", nodes, '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] '],
    ['{.users[?(@.name=="e2e")].user.password}', nodes, "secret"],
    ["{.items[0].metadata.labels.kubernetes\\.io/hostname}", nodes, "127.0.0.1"],
    ['{.items[?(@.metadata.labels.kubernetes\\.io/hostname=="127.0.0.1")].kind}', nodes, "None"],
    ["{range .items[*]}{.metadata.name}{end}", { items: [] }, ""],
  ])("%s", (template, data, want) => {
    expect(run(template, data)).toBe(want);
  });

  it("parse errors in client-go's words", () => {
    expect(() => parseJsonPath("{hello}")).toThrow(new JsonPathError("unrecognized identifier hello"));
    expect(() => parseJsonPath("{.Book[?(@.Price<>10)]}")).toThrow(new JsonPathError("unrecognized filter operator <>"));
    expect(() => parseJsonPath("{range .Labels.*}{@}{end}{end}")).toThrow(new JsonPathError("not in range, nothing to end"));
    expect(() => parseJsonPath("{.items[*]")).toThrow(new JsonPathError("unclosed action"));
  });

  it("custom-columns' relaxed expressions", () => {
    expect(relaxedJsonPath(".metadata.name")).toBe("{.metadata.name}");
    expect(relaxedJsonPath("metadata.name")).toBe("{.metadata.name}");
    expect(relaxedJsonPath("{.metadata.name}")).toBe("{.metadata.name}");
    expect(() => relaxedJsonPath("{{a}")).toThrow("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  });
});
