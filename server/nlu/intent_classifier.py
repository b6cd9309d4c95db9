"""Intent classification by a small neural network on the pipeline's sparse features.

Measured on this data (bench/RESULTS.md): DIET without transformer layers reached a hold-out
intent F1 of 0.975 but took ~70-120 s to train and a TensorFlow call of ~3 ms on every
message, a third of a turn. Rasa's LogisticRegressionClassifier was the fastest but, linear
in raw counts, fell to 0.945 and read long polite messages by their length. scikit-learn's
MLPClassifier (one hidden layer, as DIET here is without its transformer) keeps DIET's
accuracy at a sparse matrix product per message.

The component reuses Rasa's LogisticRegressionClassifier for training, intent ranking and
storage (skops); only the estimator and the feature matrix differ.
"""
from __future__ import annotations

import warnings
from typing import Any, Dict, List, Text

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import csr_matrix, spmatrix, vstack
from sklearn.ensemble import VotingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class MLPIntentClassifier(LogisticRegressionClassifier):
    """One-hidden-layer networks over the featurizers' sentence features, their
    probabilities averaged.

    One network's boundary moves with its random start and with any edit of the data, so a
    message near it (a request for advice only the classifier recognises) flips from one
    training to the next. The mean of several networks, each from its own start, moves less.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**LogisticRegressionClassifier.get_default_config(),
                "hidden_layer_sizes": [256], "epochs": 60, "alpha": 1e-4, "networks": 1}

    def __init__(self, config: Dict[Text, Any], name: Text, model_storage: ModelStorage,
                 resource: Resource) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf = VotingClassifier([
            (f"network{i}", MLPClassifier(hidden_layer_sizes=tuple(self.config["hidden_layer_sizes"]),
                                          max_iter=self.config["epochs"], alpha=self.config["alpha"],
                                          random_state=self.config["random_state"] + i))
            for i in range(self.config["networks"])], voting="soft")

    def train(self, training_data: TrainingData) -> Resource:
        with warnings.catch_warnings():
            # A fixed number of epochs, as DIET has: stopping there is the setting, not a fault.
            warnings.simplefilter("ignore", ConvergenceWarning)
            return super().train(training_data)

    def persist(self) -> None:
        # The optimisers' state only serves to continue training, and the networks by name
        # only to inspect them; without them (a dict instead of sklearn's Bunch) the stored
        # model holds only types skops trusts, so Rasa's own loader accepts it.
        for network in self.clf.estimators_:
            network._optimizer = None
        self.clf.named_estimators_ = dict(self.clf.named_estimators_)
        super().persist()

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        """Each message's sentence-level sparse features, one row each.

        Rasa's version asks the message for all its sparse features, which deep-copies and
        joins the token-level ones too, and then stacks dense features, of which this
        pipeline has none: together about 7 % of the server's CPU per turn under load.
        """
        rows = []
        for message in messages:
            parts = [f for f in message.features if f.attribute == TEXT and f.type == FEATURE_TYPE_SENTENCE]
            if not parts or not all(f.is_sparse() for f in parts):
                return super()._create_X(messages)
            rows.append(_join_row([f.features for f in parts]))
        return vstack(rows, format="csr")


def _join_row(parts: List[spmatrix]) -> csr_matrix:
    """The 1-row sparse matrices side by side, as scipy's hstack would, without its COO detour."""
    columns, values, width = [], [], 0
    for part in parts:
        coo = part.tocoo()
        columns.append(coo.col + width)
        values.append(coo.data)
        width += coo.shape[1]
    data = np.concatenate(values)
    return csr_matrix((data, np.concatenate(columns), [0, len(data)]), shape=(1, width))
