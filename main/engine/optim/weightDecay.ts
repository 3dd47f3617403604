// Which parameters AdamW's decoupled weight decay applies to. Only the weight matrices of linear maps
// (input_proj, the attention in/out projections, linear1/linear2) are decayed. Not decayed, as in CLIP, nanoGPT
// and timm practice: biases (shifts, not capacity), LayerNorm gains and shifts (decaying a gain toward 0 fights
// the normalization), the class token and positional embedding (decay would pull them toward "no position"), and
// the loss's logit scale and bias (decay would drag the temperature toward t = 1 and the bias toward 0).

const notDecayedNames = new Set(['cls_token', 'pos_embed', 'logit_scale', 'logit_bias']);
const normParameter = /(^|\.)(norm\d*|out_norms\.\d+)\.(weight|bias)$/;

/** True when AdamW's decoupled weight decay applies to the parameter with this (PyTorch) name. */
export function isDecayed(name: string): boolean {
  if (notDecayedNames.has(name)) return false;
  if (name.endsWith('bias')) return false; // `.bias` of linears and norms, and attention's `in_proj_bias`
  if (normParameter.test(name)) return false;
  return true;
}
