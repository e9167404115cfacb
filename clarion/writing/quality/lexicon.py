"""Word lists the quality checks (and the offline writer) share, English and French."""

from __future__ import annotations


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words per language, for telling which language a text is in.
STOPWORDS: dict[str, frozenset[str]] = {
    "en": wordset(
        "the and of to is are you your with for our we it this that in on at be can from what "
        "how why who they their more get not just all into about or an was were will has have "
        "here there every when than so no"
    ),
    "fr": wordset(
        "le la les des du de et est sont vous votre vos nous notre nos pour avec dans sur une un "
        "ce cette ces qui que plus pas au aux en chez ou où mais aussi tout tous toute comme "
        "c'est d'un d'une l'on on très ici chaque sans"
    ),
    "es": wordset(
        "el los las del y es son usted su sus nuestro nuestra para con en una por que más pero "
        "como este esta está muy también"
    ),
    "de": wordset(
        "der die das und ist sind sie ihr ihre unser unsere für mit auf ein eine nicht mehr wie "
        "auch noch zu von dem den im bei"
    ),
    "it": wordset(
        "il lo gli della delle e è sono voi vostro nostro nostra per con una che più come anche "
        "questo questa nel alla"
    ),
}
EN_DETERMINERS = wordset("a an the our your their my this these those its")
FR_DETERMINERS = wordset(
    "le la les un une des du notre votre nos vos ce cet cette ces mon ma mes son sa ses"
)
# Determiners that are never object pronouns (so "pour le découvrir" stays correct).
FR_STRICT_DETERMINERS = wordset(
    "un une du notre votre nos vos ce cet cette ces mon ma mes son sa ses"
)
# Common French infinitives (nouns that are also infinitives, "le dîner", are left out).
FR_INFINITIVES = wordset(
    "adhérer venir réserver découvrir essayer rejoindre commander acheter profiter tester "
    "télécharger contacter visiter participer partager réparer apprendre choisir comparer "
    "gagner économiser simplifier planifier organiser gérer suivre payer régler recevoir "
    "demander lancer commencer passer prendre faire voir savoir lire écrire parler dire "
    "donner trouver garder rester aller utiliser créer construire améliorer préparer goûter "
    "déguster cuisiner rouler pédaler entretenir bricoler monter démonter changer remplacer "
    "regonfler vérifier nettoyer régler installer configurer automatiser envoyer relancer "
    "facturer calculer valider échanger discuter rencontrer inscrire abonner offrir vivre "
    "respirer bouger pratiquer progresser commencer continuer arrêter oublier penser croire "
    "aimer adorer partir revenir sortir entrer ouvrir fermer poser répondre comprendre "
    "expliquer montrer présenter accompagner aider soutenir protéger sécuriser éviter réduire "
    "augmenter transformer s'abonner s'inscrire s'équiper se lancer se former se renseigner"
)
FR_MODAL_IMPERATIVES = wordset(
    "venez allez osez faites laissez sachez pouvez voulez devez savez souhaitez aimeriez "
    "préférez espérez comptez pensez-vous n'hésitez"
)
EN_CALL_VERBS = wordset("subscribe join register discover explore learn claim unlock enroll adhere")
# Nouns that name a list's items, for "3 reasons …" promises.
COUNT_NOUNS = {
    "en": wordset(
        "reason reasons thing things way ways tip tips step steps mistake mistakes question "
        "questions idea ideas myth myths fact facts sign signs lesson lessons habit habits rule "
        "rules benefit benefits secret secrets trick tricks point points"
    ),
    "fr": wordset(
        "raison raisons chose choses façon façons conseil conseils étape étapes erreur erreurs "
        "question questions idée idées astuce astuces point points avantage avantages règle "
        "règles habitude habitudes secret secrets"
    ),
}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
}  # fmt: skip
