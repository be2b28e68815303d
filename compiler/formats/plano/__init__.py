"""Plano (katanemo/plano, formerly archgw) gateway config: `plano_config.yaml`.

reader.py lowers a config to the IR and applies planoai's own rules (formats/plano.md section 7)
plus the start-up failures of the gateway that planoai lets through; writer.py emits a config
(and, in update mode, splices new model sections into an existing file); common.py holds what
both share: the catalog, model-string parsing, provider ids.
"""
