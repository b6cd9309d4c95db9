"""The classifier's feature matrix is exactly what Rasa's own stacking gives, only cheaper."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import scipy.sparse
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from server.nlu.intent_classifier import MLPIntentClassifier


def _message(seed: int, dense: bool = False) -> Message:
    """Sparse sequence and sentence features from three featurizers, plus one for the intent."""
    rng = np.random.default_rng(seed)
    message = Message({TEXT: "a b c"})
    for origin, width in (("lexical", 5), ("words", 7), ("chars", 11)):
        for kind, rows in ((FEATURE_TYPE_SEQUENCE, 3), (FEATURE_TYPE_SENTENCE, 1)):
            matrix = scipy.sparse.random(rows, width, density=0.4, format="coo", random_state=rng)
            message.add_features(Features(matrix, kind, TEXT, origin))
    message.add_features(Features(scipy.sparse.coo_matrix(np.ones((1, 2))), FEATURE_TYPE_SENTENCE, INTENT, "words"))
    if dense:
        message.add_features(Features(rng.random((1, 4)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))
    return message


def _classifier(tmp_path: Path) -> MLPIntentClassifier:
    return MLPIntentClassifier(MLPIntentClassifier.get_default_config(), "mlp", LocalModelStorage(tmp_path),
                               Resource("mlp"))


def test_feature_matrix_equals_rasas(tmp_path: Path) -> None:
    messages = [_message(seed) for seed in range(4)]
    ours = _classifier(tmp_path)._create_X(messages)
    rasas = LogisticRegressionClassifier._create_X(None, messages)  # type: ignore[arg-type]
    assert ours.shape == rasas.shape == (4, 23)
    assert abs(ours - rasas).max() == 0


def test_dense_features_are_left_to_rasa(tmp_path: Path) -> None:
    messages = [_message(1, dense=True), _message(2, dense=True)]
    ours = _classifier(tmp_path)._create_X(messages)
    assert ours.shape == (2, 27)
    assert abs(ours - LogisticRegressionClassifier._create_X(None, messages)).max() == 0  # type: ignore[arg-type]


def test_averaged_networks_survive_rasas_own_loader(tmp_path: Path) -> None:
    """Stored with types skops trusts, so Rasa's loader gives back the fitted networks (an
    untrusted type would make it return an unfitted classifier), and the ranking is their mean."""
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.shared.nlu.training_data.training_data import TrainingData

    examples = []
    for seed in range(12):
        message = _message(seed)
        message.set(INTENT, "greet" if seed % 2 else "thanks")
        examples.append(message)
    config = {**MLPIntentClassifier.get_default_config(), "networks": 3, "hidden_layer_sizes": [8], "epochs": 5}
    storage, resource = LocalModelStorage(tmp_path), Resource("mlp")
    trained = MLPIntentClassifier(config, "mlp", storage, resource)
    trained.train(TrainingData(examples))
    loaded = MLPIntentClassifier.load(config, storage, resource, ExecutionContext(GraphSchema({}), "test"))
    assert len(loaded.clf.estimators_) == 3
    X = loaded._create_X(examples[:2])
    mean = np.mean([network.predict_proba(X) for network in loaded.clf.estimators_], axis=0)
    assert np.allclose(loaded.clf.predict_proba(X), mean)
    assert np.allclose(loaded.clf.predict_proba(X), trained.clf.predict_proba(X))
