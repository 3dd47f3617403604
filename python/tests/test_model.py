"""The encoder's last block computed at its class tokens alone (evgap_torch.model.class_token_block) against the
whole nn.TransformerEncoderLayer: the same class-token outputs and the same gradients for every weight of the layer
and for its input."""

import torch
from torch import nn

from evgap_torch.model import class_token_block


def test_class_token_block_is_the_layers_first_row_with_its_gradients():
    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(16, 4, 24, dropout=0.0, activation="relu", batch_first=True, norm_first=True)
    for parameter in layer.parameters():  # biases and norms away from their constant initial values
        nn.init.normal_(parameter, std=0.3)
    h = torch.randn(3, 7, 16, dtype=torch.float64, requires_grad=True)
    layer = layer.double()
    target = torch.randn(3, 1, 16, dtype=torch.float64)

    def gradients(outputs):
        layer.zero_grad()
        h.grad = None
        (outputs * target).sum().backward()
        return [h.grad.clone()] + [p.grad.clone() for p in layer.parameters()]

    whole = layer(h)[:, :1]
    alone = class_token_block(layer, h)
    assert alone.shape == (3, 1, 16)
    torch.testing.assert_close(alone, whole, rtol=1e-10, atol=1e-12)
    for expected, actual in zip(gradients(layer(h)[:, :1]), gradients(class_token_block(layer, h))):
        torch.testing.assert_close(actual, expected, rtol=1e-9, atol=1e-11)
