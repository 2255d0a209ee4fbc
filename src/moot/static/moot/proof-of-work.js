// moot: the response form's proof-of-work check, loaded only on "Check your answers".
// Finds a nonce whose SHA-256 hash with the server's signed challenge starts with enough
// zero bits, and puts it in the form before it is sent. Without JavaScript (or Web Crypto)
// the form still works: the server accepts it after a short wait instead.
const form = document.querySelector("form[data-pow-challenge]");

function leadingZeroBits(bytes) {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

async function solve(challenge, bits) {
  const encoder = new TextEncoder();
  for (let nonce = 0; ; nonce += 1) {
    const input = encoder.encode(`${challenge}:${nonce}`);
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", input));
    if (leadingZeroBits(digest) >= bits) {
      return String(nonce);
    }
  }
}

if (form && window.crypto && window.crypto.subtle) {
  const field = form.querySelector("#pow-nonce");
  let done = false;
  const work = solve(form.dataset.powChallenge, Number(form.dataset.powBits)).then((nonce) => {
    field.value = nonce;
    done = true;
  });
  form.addEventListener("submit", (event) => {
    if (done) {
      return;
    }
    event.preventDefault();
    // form.submit() does not fire this handler again.
    work.then(() => form.submit());
  });
}
