#!/usr/bin/env python3
"""gen-dispatches.py N [FILES] OUTDIR: writes N synthetic French dispatches
as JSON Lines spread over FILES files in OUTDIR (deterministic).  The texts
are random sentences from a small vocabulary written for the tests."""
import json
import os
import random
import sys

SUBJECTS = ["Le gouvernement", "La ministre", "Le président", "Les syndicats",
            "La mairie", "Le tribunal", "Les députés", "La police",
            "Le porte-parole", "L'opposition", "Les agriculteurs",
            "La banque centrale", "Les enquêteurs", "Le club"]
VERBS = ["a annoncé", "a démenti", "a proposé", "a rejeté", "a confirmé",
         "prépare", "examine", "a présenté", "conteste", "soutient"]
OBJECTS = ["un nouveau plan", "la réforme", "un accord", "le budget",
           "une enquête", "la hausse des prix", "un projet de loi",
           "les négociations", "un recours", "la fermeture du site",
           "une aide exceptionnelle", "le calendrier"]
TAILS = ["jeudi soir", "à Paris", "après des semaines de débat",
         "selon une source proche du dossier", "au bout de trois heures",
         "devant la presse", "dans un communiqué", "sans donner de détails"]
PLACES = ["Paris", "Lyon", "Marseille", "Bruxelles", "Genève", "Toulouse",
          "Lille", "Nantes", "Bordeaux", "Strasbourg"]


def sentence(r):
    return "%s %s %s %s." % (r.choice(SUBJECTS), r.choice(VERBS),
                             r.choice(OBJECTS), r.choice(TAILS))


def main():
    n = int(sys.argv[1])
    files = int(sys.argv[2]) if len(sys.argv) > 3 else 1
    out = sys.argv[-1]
    os.makedirs(out, exist_ok=True)
    r = random.Random(20221208)
    handles = [open(os.path.join(out, "part-%04d.jsonl" % i), "w",
                    encoding="utf-8") for i in range(files)]
    for i in range(n):
        day = 1 + i % 28
        paras = [" ".join(sentence(r) for _ in range(r.randint(2, 4)))
                 for _ in range(r.randint(2, 5))]
        d = {"id": "gen-%06d" % i,
             "date": "2023-%02d-%02dT%02d:%02d:00+01:00" % (
                 1 + i % 12, day, 6 + i % 14, i % 60),
             "headline": sentence(r)[:-1],
             "body": "\n\n".join(paras),
             "source": "AFP", "lang": "fr",
             "dateline": r.choice(PLACES)}
        handles[i % files].write(json.dumps(d, ensure_ascii=False) + "\n")
    for h in handles:
        h.close()


if __name__ == "__main__":
    main()
