/**
 * Text bound for a terminal. A scenario's title, an event's words or a mistyped option may hold
 * control characters (ESC starts a sequence that recolours, retitles or rewrites the screen; OSC
 * can set the clipboard; NUL can hide what follows); printed raw they would be obeyed. Every
 * control character but line breaks and tabs is shown escaped instead, like `\x1b`.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;

export function terminalText(text: string): string {
  return text.replace(CONTROL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** A value the user gave, shortened to echo in a message (a 40k-character link, a 2 MB key). */
export function echoed(text: string, charsMax = 120): string {
  return text.length <= charsMax ? text : `${text.slice(0, charsMax - 1)}… (${text.length} characters)`;
}
