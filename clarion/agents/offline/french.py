"""What the offline writer says in French: the same frames as ``english``, said in French.

French slots carry their article, chosen from the noun (``{le_subject}`` "le planning",
"la facturation", "les outils", "l'atelier"; ``{de_subject}`` "du planning", "de la …";
``{a_subject}`` "au planning"); an action is an infinitive said to the reader ("réparer
votre vélo vous-même"), so ``{de_subject}`` is "de réparer …". ``{un_category}`` is the
category with an indefinite article. Agreement: ``{est}`` and ``{v:verbe}`` (third person,
given in the singular) follow the subject. Frames avoid adjectives that would need a gender.
"""

from __future__ import annotations

from clarion.agents.offline.copybook import Copybook

FRENCH = Copybook(
    hooks={
        "question": (
            "Que savez-vous vraiment {de_subject} ?",
            "T|Et si {le_subject} demandait deux fois moins d'effort ?",
            "A|Et si {subject} devenait simple ?",
            "Envie de repenser {le_subject} ?",
            "Pourquoi {audience} tiennent-ils autant {a_subject} ?",
            "Quand avez-vous pensé {a_subject} pour la dernière fois ?",
            "T|Vous connaissez {le_subject} ?",
        ),
        "statistic": (
            "{N} raisons de choisir {brand} :",
            "T|{N} choses à savoir sur {le_subject} :",
            "A|{N} choses à savoir avant de {subject} :",
            "T|{N} façons dont {brand} simplifie {le_subject} :",
            "{Le_subject}, en {N} points :",
        ),
        "bold claim": (
            "{Le_subject} {v:mérite} mieux qu'un « ça ira ».",
            "T|Nous pensons qu'on sous-estime {le_subject}.",
            "Notre avis : {le_subject} {v:compte} plus qu'on ne le croit.",
            "{Le_subject}, sans compromis.",
            "Petit détail, grande différence : {le_subject}.",
        ),
        "story": (
            "Lundi matin, la semaine est déjà chargée, et {le_subject} {v:devrait} être la "
            "partie facile.",
            "Imaginez une semaine où vous n'avez plus à penser {a_subject}.",
            "T|Une petite histoire sur {le_subject}, et pourquoi on y tient.",
            "Le meilleur moment d'une bonne journée ? Ne pas avoir à vous soucier {de_subject}.",
            "Tout est parti d'une question simple : et si c'était plus facile ?",
        ),
        "how-to": (
            "T|Voici comment {audience} tirent le meilleur {de_subject}.",
            "T|Une façon simple de profiter {de_subject}.",
            "A|Voici comment {subject} sans y passer des heures.",
            "T|Envie d'en faire plus avec {le_subject} ? Commencez ici.",
            "A|{Subject} : le plus simple est de commencer petit.",
            "T|Le plus simple pour commencer avec {le_subject} ? Rester simple.",
        ),
        "contrarian": (
            "Avis impopulaire : {le_subject} ne {v:devrait} pas être une affaire compliquée.",
            "T|La plupart des conseils sur {le_subject} passent à côté de l'essentiel.",
            "A|La plupart des conseils pour {subject} passent à côté de l'essentiel.",
            "Vous croyez tout savoir {de_subject} ? Détrompez-vous.",
            "T|Oubliez le bruit autour {de_subject}. Voici ce qui compte vraiment.",
            "T|On se trompe souvent sur {le_subject}. Remettons les choses à plat.",
        ),
        "announcement": (
            "Découvrez {le_subject}.",
            "C'est nouveau : {fresh}.",
            "Enfin là : {le_subject}.",
            "Dites bonjour à {le_subject}.",
        ),
        "explainer": (
            "Voici {wh} {clause}.",
            "Vous êtes-vous déjà demandé {wh} {clause} ?",
            "{Wh} {clause} ? On vous explique.",
        ),
    },
    bodies={
        "tips": (
            "T|Ce sont les petits détails qui font la différence avec {le_subject}.",
            "Commencez par un seul changement, puis avancez pas à pas.",
            "Restez simple : les résultats suivent.",
            "Pas besoin de tout changer pour profiter davantage {de_subject}.",
            "Les meilleures habitudes sont souvent les plus simples.",
        ),
        "myth": (
            "T|On entend beaucoup de choses sur {le_subject} ; la réalité est plus simple.",
            "La réalité est plus simple qu'on ne le croit.",
            "Dans les faits, c'est bien plus simple qu'on ne le dit.",
        ),
        "story": (
            "C'est exactement pour ces moments-là que nous travaillons.",
            "Ce genre de petite victoire compte, semaine après semaine.",
            "Une bonne semaine tient à de petites choses qui fonctionnent.",
            "Personne ne devrait avoir à se compliquer la vie avec ça.",
        ),
        "numbers": (
            "Quelques faits en disent plus qu'un long discours.",
            "Les faits parlent d'eux-mêmes.",
            "Mieux vaut des faits que des adjectifs : voici ce qu'il en est.",
        ),
        "mistakes": (
            "T|L'erreur la plus fréquente ? Laisser {le_subject} au hasard.",
            "Laisser les choses au hasard, c'est l'erreur la plus courante.",
            "L'erreur classique, c'est de trop compliquer les choses.",
            "On attend souvent trop longtemps avant de s'y mettre : c'est l'erreur à éviter.",
        ),
        "steps": (
            "Un pas après l'autre, c'est plus simple qu'il n'y paraît.",
            "Commencez petit, puis avancez à votre rythme.",
            "Il faut moins d'étapes qu'on ne l'imagine.",
        ),
        "before_after": (
            "Avant : on faisait avec. Après : {le_p_np}.",
            "Avant : une chose de plus à gérer. Après : {le_p_np}.",
            "Avant : se contenter de peu. Après : {le_p_np}.",
        ),
        "lessons": (
            "Ce que {audience} nous apprennent : les petits détails comptent.",
            "S'il y a une leçon à retenir, c'est que l'essentiel compte le plus.",
            "Nous avons appris que rien n'est un simple détail.",
        ),
        "faq": (
            "Une question qu'on nous pose souvent : « {Le_subject}, ça vaut le coup ? » "
            "Réponse courte : oui.",
            "« Par où commencer ? » On nous le demande souvent, et la réponse est simple.",
        ),
        "trend": (
            "T|{Audience} sont de plus en plus nombreux à repenser {le_subject}.",
            "Les attentes changent vite, et c'est tant mieux.",
            "Ce que l'on attend {de_subject} a changé, et nous aussi.",
        ),
        "benefit": (
            "{Le_subject} {v:devrait} vous simplifier la vie, pas la compliquer.",
            "Moins de tracas, plus de ce qui compte pour vous.",
            "L'idée est simple : plus de ce que vous aimez, moins de ce qui vous pèse.",
        ),
        "problem": (
            "T|Le problème avec {le_subject} ? C'est souvent plus compliqué que nécessaire. "
            "C'est ce que nous avons changé.",
            "Si c'est devenu une corvée, quelque chose ne va pas. Nous avons voulu y remédier.",
        ),
        "behind": (
            "T|Derrière {le_subject}, il y a une équipe attentive aux détails.",
            "Il y a plus de soin derrière tout cela qu'on ne l'imagine.",
            "Rien n'est laissé au hasard, du début à la fin.",
        ),
        "launch": (
            "C'est nouveau, et c'est prêt pour vous.",
            "Nous y travaillons depuis un moment, et c'est enfin là.",
        ),
        "community": (
            "T|Nous adorons voir comment {audience} s'approprient {le_subject}.",
            "Certaines de nos meilleures idées viennent de vous.",
            "Chacun a sa façon de faire, et nous voulons connaître la vôtre.",
        ),
        "proof": (
            "C'est l'une des raisons pour lesquelles {audience} restent fidèles à {brand}.",
            "C'est ce qui fait revenir les gens chez {brand}.",
            "C'est souvent la première chose que l'on remarque.",
        ),
        "thought": (
            "Nous pensons que {le_subject} {v:doit} rester une affaire simple et honnête, au "
            "service de celles et ceux qui en ont besoin.",
            "Nous pensons que le sujet mérite plus d'attention qu'on ne lui en accorde.",
        ),
    },
    benefits={
        "thing": (
            "Avec {brand}, vous profitez {de_p}.",
            "Vous y trouverez aussi {le_p}.",
            "Et bien sûr : {le_p}.",
            "Côté pratique : {le_p}.",
            "{Brand}, {p_cest} aussi {le_p}.",
            "Chez {brand}, vous avez droit {a_p}.",
        ),
        "quality": (
            "{Brand} est {p}.",
            "Chez {brand}, tout est {p}.",
            "Bon à savoir : {brand} est {p}.",
        ),
        "action": (
            "Vous pouvez {p}.",
            "Envie de {p} ? C'est possible.",
            "Ici, on vous aide à {p}.",
            "Avec {brand}, vous pouvez {p}.",
            "Rien ne vous empêche de {p}.",
        ),
        "predicate": ("Bon à savoir : {p}.",),
        "clause": ("Bon à savoir : {p}.",),
        "pair": ("Chez {brand}, tout est {p} et {p2}.",),
    },
    leads=(
        "",
        "",
        "Bonne nouvelle : ",
        "Concrètement : ",
        "En pratique : ",
        "Pour faire simple : ",
    ),
    more_leads=(
        "",
        "",
        "Mieux encore : ",
        "Et ce n'est pas tout : ",
        "De plus, ",
        "Autre atout : ",
    ),
    items={
        "thing": ("{Le_p}", "{Le_p}, tout simplement", "{Le_p}, à chaque fois"),
        "quality": ("Tout est {p}", "{Brand} est {p}"),
        "action": ("La possibilité de {p}", "Vous pouvez {p}", "La liberté de {p}"),
        "predicate": ("Bon à savoir : {p}",),
        "clause": ("Bon à savoir : {p}",),
    },
    audience=(
        "Pensé pour {audience}.",
        "Conçu avec {audience} en tête.",
        "Pour {audience}, c'est un souci de moins.",
        "Ça s'intègre facilement dans le quotidien {de_audience}.",
        "Que vous débutiez ou non, c'est simple à prendre en main.",
        "Pensé dès le départ pour {audience}.",
        "Nous l'avons imaginé pour {audience}, et ça se voit.",
        "Pour {audience}, ça marche, tout simplement.",
        "Fait pour le quotidien {de_audience}.",
        "Si vous faites partie {de_audience}, vous verrez la différence.",
        "Pour {audience}, c'est du temps gagné chaque semaine.",
    ),
    ctas={
        "transactional": (
            "{Action} dès aujourd'hui.",
            "{Action} cette semaine.",
            "{Action} et jugez par vous-même.",
            "Envie d'essayer ? Alors, {action}.",
            "À vous : {action}.",
            "Inutile d'attendre : {action}.",
            "Prochaine étape : {action}.",
            "{Action}, on s'occupe du reste.",
            "C'est le moment : {action}.",
            "T|Envie d'en savoir plus sur {le_subject} ? {Action}.",
            "Le plus simple : {action}.",
            "Pour commencer, {action}.",
            "Faites le premier pas : {action}.",
            "T|{Action} et voyez ce que {le_subject} {v:peut} changer pour vous.",
        ),
        "plain": ("À vous : {action}.", "Votre avis compte : {action}.", "On vous lit : {action}."),
        "link": (
            "Plus d'infos : {action}",
            "Tout est expliqué ici : {action}",
            "Pour en savoir plus : {action}",
            "Le détail est ici : {action}",
        ),
        "infinitive": (
            "Envie de {action} ? On vous attend.",
            "N'hésitez pas à {action}.",
            "Pensez à {action} cette semaine.",
            "Il ne vous reste plus qu'à {action}.",
            "Prochaine étape : {action}.",
            "Pour {action}, c'est simple.",
            "Vous hésitez encore ? Pensez à {action}.",
            "Rien de plus simple que de {action}.",
            "Vous pouvez {action} quand vous voulez.",
            "Et si vous preniez le temps de {action} ?",
            "Le mieux, c'est encore de {action}.",
            "On serait ravis de vous voir {action}.",
            "Une bonne idée cette semaine : {action}.",
            "Vous êtes les bienvenus pour {action}.",
            "Il suffit de {action}.",
            "Pourquoi ne pas {action} ?",
        ),
    },
    rules={
        "welcome": (
            "{X} sont toujours les bienvenus.",
            "Ici, {x} sont les bienvenus.",
            "Vous débutez ? {X} sont les bienvenus.",
            "{X} ont toute leur place ici.",
            "T|{Le_subject}, c'est aussi pour {x}.",
            "On accueille {x} avec plaisir.",
        ),
        "mention": (
            "{X} : on n'y déroge jamais.",
            "Tout commence par {x}.",
            "{X} passe avant tout.",
            "T|Avec {le_subject}, tout part de {x}.",
            "Chez nous, {x} n'est jamais un détail.",
            "{X}, toujours.",
        ),
    },
    poll_intros=(
        "Petite question pour {audience} :",
        "Votre avis nous intéresse :",
        "À vous de trancher :",
        "On a besoin de vous :",
    ),
    poll_votes=(
        "Votez ci-dessous, et dites-nous pourquoi en commentaire.",
        "Votez ci-dessous, on partagera les résultats.",
    ),
    poll_questions={
        "props": (
            "Qu'est-ce qui compte le plus pour vous dans {un_category} ?",
            "Qu'est-ce qui compte le plus pour vous ?",
        ),
        "yes": ("T|Avez-vous déjà essayé {le_subject} ?", "A|Avez-vous déjà essayé de {subject} ?"),
        "truefalse": ("Vrai ou faux : {le_subject}, c'est compliqué ?",),
        "stand": ("T|Où en êtes-vous avec {le_subject} ?",),
    },
    poll_options={
        "yes": ("Oui, souvent", "Une ou deux fois", "Pas encore"),
        "truefalse": ("Vrai", "Faux", "Ça dépend"),
        "stand": ("J'adore", "Ça m'intrigue", "Pas pour moi"),
    },
    words={"subject_default": "notre métier", "audience_default": "vous"},
)
