// Asks a playbook's `vars_prompt:` questions before anything runs, as ansible-playbook does at each
// play's start (PlaybookExecutor, display.do_var_prompt): a variable given with -e is not asked;
// an empty answer takes the default; `confirm` asks twice until both answers match; `encrypt`
// hashes the answer as password_hash does; the answer joins the play's vars (Ansible sets
// play.vars[name]). All questions are asked before any host is contacted, so a missing answer
// is invalid input (exit 5) with nothing run.
import { InvalidInputError } from '../errors.js';
import type { Playbook } from '../playbook/types.js';
import type { VarsPrompt } from '../playbook/vars-prompt.js';
import { hasTemplate, renderString } from '../template/render.js';
import { unsafeText } from '../template/unsafe-text.js';
import type { CliIO } from './cli-io.js';

/** Where the questions are asked and warnings written. */
type PromptIO = Pick<CliIO, 'askLine' | 'askSecret' | 'stdout' | 'stderr'>;

/** How many times a confirmed question is asked again after answers that differ. */
const CONFIRM_TRIES = 3;

/** The playbook with each play's prompted answers in its vars. */
export async function answerVarsPrompts(playbook: Playbook, extraVars: Readonly<Record<string, unknown>>, io: PromptIO): Promise<Playbook> {
  if (playbook.plays.every((play) => (play.varsPrompt ?? []).length === 0)) return playbook;
  const plays = [];
  for (const play of playbook.plays) {
    const answers: Record<string, unknown> = {};
    // Prompts and defaults may use the play's variables (Ansible templates them on get_vars(play)).
    const playVars = { ...play.roleDefaults, ...play.vars, ...Object.assign({}, ...play.varsFiles.map((file) => ('vars' in file ? file.vars : {}))), ...extraVars } as Record<string, unknown>;
    for (const question of play.varsPrompt ?? []) {
      if (Object.hasOwn(extraVars, question.name)) continue;
      answers[question.name] = await answer(question, playVars, io);
    }
    plays.push(Object.keys(answers).length === 0 ? play : { ...play, vars: { ...play.vars, ...answers } });
  }
  return { ...playbook, plays };
}

/** One question's value: asked, defaulted, confirmed, hashed, marked unsafe. */
async function answer(question: VarsPrompt, playVars: Readonly<Record<string, unknown>>, io: PromptIO): Promise<unknown> {
  const fallback = question.default === undefined ? undefined : render(question.default, playVars, question);
  const ask = question.private ? io.askSecret : io.askLine;
  let value: string;
  if (ask === undefined) {
    if (fallback === undefined) {
      throw new InvalidInputError(`vars_prompt '${question.name}' needs an answer, and there is no terminal to ask on`, {
        source: question.source,
        fix: `pass it with -e ${question.name}=VALUE, or give the prompt a default:`,
      });
    }
    io.stderr.write('[WARNING]: Not prompting as we are not in interactive mode\n');
    value = fallback;
  } else {
    const text = question.prompt === undefined ? question.name : render(question.prompt, playVars, question);
    const msg = text !== '' && fallback !== undefined ? `${text} [${fallback}]: ` : text !== '' ? `${text}: ` : `input for ${question.name}: `;
    value = await askConfirmed(question, msg, ask, io);
    if (value === '' && fallback !== undefined) value = fallback;
  }
  if (question.encrypt !== undefined) {
    const scheme = render(question.encrypt, playVars, question);
    const salt = question.salt === undefined ? null : render(question.salt, playVars, question);
    return render('{{ answer | password_hash(scheme, salt, salt_size) }}', { answer: value, scheme, salt, salt_size: question.saltSize ?? null }, question);
  }
  return question.unsafe ? unsafeText(value) : value;
}

/** Ask, and with `confirm` ask again until two answers match (Ansible repeats the pair). */
async function askConfirmed(question: VarsPrompt, msg: string, ask: (prompt: string) => Promise<string>, io: Pick<CliIO, 'stdout'>): Promise<string> {
  if (!question.confirm) return ask(msg);
  for (let attempt = 0; attempt < CONFIRM_TRIES; attempt++) {
    const first = await ask(msg);
    const second = await ask(`confirm ${msg}`);
    if (first === second) return first;
    io.stdout.write('***** VALUES ENTERED DO NOT MATCH ****\n');
  }
  throw new InvalidInputError(`vars_prompt '${question.name}': the answers did not match ${CONFIRM_TRIES} times`, { source: question.source, fix: 'type the same value twice' });
}

/** A prompt, a default or the hash expression, rendered on the play's variables (no host's: none is known yet). */
function render(text: string, vars: Readonly<Record<string, unknown>>, question: VarsPrompt): string {
  if (!hasTemplate(text)) return text;
  return String(renderString(text, vars, { source: question.source }));
}
