// Every test must run at least one assertion: a test whose checks sit in a
// loop or a branch that never runs would otherwise pass having checked nothing.
beforeEach(() => {
  expect.hasAssertions();
});
