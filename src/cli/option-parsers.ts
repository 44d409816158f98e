/**
 * Parsers for numeric command-line values. Each throws commander's
 * InvalidArgumentError, so a bad value ends the command with exit code 1
 * and one line naming the option, the value given and what it must be.
 */
import { InvalidArgumentError, type Command } from 'commander';

// Digits only: "0x10", "1e3" and " 5" are not what a user means by a count.
const DIGITS = /^[0-9]+$/;

// A plain decimal number, optionally signed, with an optional exponent.
const DECIMAL = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;

/** Highest TCP port. */
const MAX_PORT = 65_535;

/** A parser of one option's value, as commander calls it. */
export type OptionParser = (value: string) => number;

/** Parses an integer of at least 1 for the option `name`. */
export function positiveInt(name: string): OptionParser {
  return (value) => {
    const n = wholeOrNaN(value);
    if (!(n >= 1)) fail(name, 'a positive integer', value);
    return n;
  };
}

/** Parses a finite number greater than 0 for the option `name`. */
export function positiveNumber(name: string): OptionParser {
  return (value) => {
    const n = decimalOrNaN(value);
    if (!(n > 0)) fail(name, 'a positive number', value);
    return n;
  };
}

/** Parses a share strictly between 0 and 1 for the option `name`. */
export function openShare(name: string): OptionParser {
  return (value) => {
    const n = decimalOrNaN(value);
    if (!(n > 0 && n < 1)) {
      fail(name, 'a number between 0 and 1 (exclusive)', value);
    }
    return n;
  };
}

/** Parses a TCP port, 1 to 65535, for the option `name`. */
export function portNumber(name: string): OptionParser {
  return (value) => {
    const n = wholeOrNaN(value);
    if (!(n >= 1 && n <= MAX_PORT)) {
      fail(name, `a port number from 1 to ${MAX_PORT}`, value);
    }
    return n;
  };
}

/**
 * The parser of an option that may be given many times, collecting its
 * values in order; {@link refuseRepeatedOptions} leaves such options be.
 */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Makes every value option of `command` and its sub-commands refuse a
 * second value on the command line, unless it collects them (see
 * {@link collect}). Given twice, commander would keep the last value
 * without a word, and a command would quietly read another file, or
 * train for another number of epochs, than the user meant. Options keep
 * their own parsers; defaults do not count as given.
 */
export function refuseRepeatedOptions(command: Command): void {
  for (const option of command.options) {
    const takesValue = option.required || option.optional;
    if (!takesValue || option.variadic || option.parseArg === collect) {
      continue;
    }
    const parse = option.parseArg;
    const key = option.attributeName();
    const name = option.long ?? option.flags;
    option.argParser((value: string, previous: unknown) => {
      if (command.getOptionValueSource(key) === 'cli') {
        throw new InvalidArgumentError(
          `${name} is given twice (${JSON.stringify(String(previous))} ` +
            `and ${JSON.stringify(value)}); give it once`,
        );
      }
      return parse ? parse(value, previous) : value;
    });
  }
  command.commands.forEach(refuseRepeatedOptions);
}

/** The value as a safe integer, or NaN when it is not written as one. */
function wholeOrNaN(value: string): number {
  const n = DIGITS.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : NaN;
}

/** The value as a finite number, or NaN when it is not written as one. */
function decimalOrNaN(value: string): number {
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) ? n : NaN;
}

function fail(name: string, expected: string, value: string): never {
  throw new InvalidArgumentError(
    `${name} must be ${expected}, got ${JSON.stringify(value)}`,
  );
}
