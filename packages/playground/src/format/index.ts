// Docker's --format machinery: Go's text/tabwriter and text/template, docker/cli's template
// functions, and the table/json/template handling of list and inspect commands.
export { AlignRight, Debug, DiscardEmptyColumns, DOCKER_TABWRITER, TabIndent, TabWriter, type TabWriterOptions, table, tabwrite } from "./tabwriter.js";
export { type ExecuteOptions, type ParseOptions, type Template, TemplateError, execute, parseTemplate, renderTemplate } from "./template.js";
export { BUILTINS, CallError, DOCKER_FUNCS, type FuncMap, type GoFunc, HEADER_FUNCS, type Param } from "./funcs.js";
export { GoFloat, goFloat, goMap, goStruct } from "./value.js";
export { goJson, JsonError, type JsonOptions } from "./gojson.js";
export { formatValue, goQuote, sprint, sprintf, sprintln } from "./gofmt.js";
export { type FormatRowsOptions, type InspectResult, formatInspect, formatRows, inspectObjects, templateText } from "./docker-format.js";
