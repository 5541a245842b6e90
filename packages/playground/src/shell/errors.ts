// Control flow the interpreter raises and catches itself (never a host's `Suspend`).

/** An expansion that fails its command: `${x:?}`, bad arithmetic (bash's text in `message`). */
export class ExpansionError {
  constructor(readonly message: string) {}
}

/** `exit n`: unwinds to the nearest subshell, command substitution or the line. */
export class ExitSignal {
  constructor(readonly status: number) {}
}

/** `return n`: unwinds to the function being run. */
export class ReturnSignal {
  constructor(readonly status: number) {}
}
