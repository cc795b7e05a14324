/**
 * Tag and metadata values that are not strings, and the text MLflow's Python SDK writes for each
 * (`str(value)`), shared by the unit spec and the side-by-side integration spec.
 */
export const VALUES = {
  yes: true,
  no: false,
  none: null,
  int: 2,
  negative: -3,
  float: 1.5,
  tiny: 0.00001,
  big: 123456789012,
  nan: Number.NaN,
  dict: { a: 1, b: [true, null, "x"], "it's": { c: 0.5 } },
  list: [1, "two", 'say "hi"', "it's", "tab\tnew\nline"],
  empty: {},
};

/** What Python printed: python -c 'print(json.dumps(_truncate_tags(json.loads(VALUES))))' with mlflow 3.17.2. */
export const PYTHON_STR = {
  yes: "True",
  no: "False",
  none: "None",
  int: "2",
  negative: "-3",
  float: "1.5",
  tiny: "1e-05",
  big: "123456789012",
  nan: "nan",
  dict: "{'a': 1, 'b': [True, None, 'x'], \"it's\": {'c': 0.5}}",
  list: "[1, 'two', 'say \"hi\"', \"it's\", 'tab\\tnew\\nline']",
  empty: "{}",
};
