"""The shape of a request for medical advice, read from a message's grammar, not its words.

The phrase lists in `knowledge/vocabulary.yml` name drugs, conditions and requests one by
one, and people name others. A request for advice has a shape whatever it names: someone
(I, my dad, the patient) and an action on their health ("should he stop", "can she have",
"is it safe for my husband to drive"), a reading of their result ("what does my MRI mean",
"is 140/95 too high"), what to do for a person ("what do I do if a patient..."). Each
clause is read on its own, so career talk around the request does not hide it; a clause
whose object is a career step ("should I take a masters?") is not one, nor is a request's
verb told straight after its subject ("I prescribe antibiotics every day"). The person can be
told by age or weight ("a 62 year old"), the one asked can be the assistant ("would you start
a statin in...") or an AI asked to do a clinician's work on someone ("can your AI check my
mole"); a writer in crisis is read over the whole message. `asks_only_about_careers` is the
other side: every question names a career step and nothing has a request's shape.

`drug_like` counts words shaped like a medicine's international name (the WHO stems:
-olol, -statin, -cycline...) and clinical measurements (20mg, 140/95), so an unlisted drug
still counts as a medical term.
"""
from __future__ import annotations

import re
from typing import List, Optional, Tuple

_WORD = r"[a-z][a-z'-]*"
# A word after "my": "my 2 week old", "my mum's".
_OWNED = r"[a-z0-9][a-z0-9'-]*"
# Animals a vet's client asks about are asked about as people are.
_PET = r"(?:dog|puppy|cat|kitten|rabbit|horse|pony|hamster|guinea pig|parrot|budgie|pet)"
# A person told by their age or weight is a particular patient: "a 62 year old", "a 45kg adult".
_SIZED = (r"(?:a|an|the|my|his|her|their|our|this|that) \d+(?:\.\d+)?\s?(?:kg|kilos?|lbs?|stone|"
          r"-?(?:year|yr|month|week|day)s?[- ]old|yo|y/o|m/o)(?: [a-z]+)?")
# People a writer is related to: "my son is 16" tells an age, not a result.
_RELATIVE = (r"(?:son|daughter|kid|child|boy|girl|mum|mom|mother|dad|father|husband|wife|partner|brother|sister|"
             r"niece|nephew|grandson|granddaughter|stepson|stepdaughter|friend|cousin)s?")
# Someone whose health a question can be about ("you" is left out: "can you give me an example").
_PERSON = (rf"(?:i|we|he|she|they|me|him|her|them|us|{_SIZED}|"
           rf"(?:my|his|her|their|our)(?: {_OWNED}){{1,3}}|"
           r"(?:a|the|this|that|our|my) (?:patient|man|woman|lady|gentleman|guy|child|kid|baby|"
           rf"toddler|boy|girl|person|resident|client|teenager|infant|newborn|pt|{_PET})s?|"
           r"(?:patients|patient|pt|someone|somebody|anyone|residents))")
_THIRD = (rf"(?:he|she|they|him|her|someone|somebody|{_SIZED}|(?:a|the|this|that|my|our|his|her|their) (?:patient|pt|man|woman|"
          r"lady|child|kid|baby|toddler|resident|client|person|mum|mom|dad|mother|father|son|daughter|"
          rf"wife|husband|partner|friend|gran|grandad|grandma|neighbour|{_PET})s?)")
# Actions that are about health whatever follows them; weak ones ("see", "have", "wait") only
# with a medical word in the message ("have to" is a duty: "what would I have to study?").
# "a patient on an MAOI": the person, with what they take.
# "a patient with eGFR 25": the person, with a reading of theirs.
_PERSON_ON = rf"{_PERSON}(?: on (?:an? |the |his |her |their )?[a-z0-9-]+| with (?:an? )?[a-z0-9-]+(?: [\d.]+)?)?"
_STRONG = (r"(?:take|taking|stop taking|still take|still give|give (?!up\b|me\b|us\b)|increase|decrease|"
           r"double|halve|split|crush (?!on\b|out\b)|skip|mix|drink|breastfeed|come off|wean|restart|hold|push for|"
           r"drive|fly|be on|go on|stay on|taper|titrate|wean|(?:stop|reduce|lower|restart|adjust) (?:my|his|her|their|our)\b|stick to|stick with|go back (?:up|down|on)|go up|go down|turn (?:it |the \w+ )?(?:up|down))")
_WEAK = (r"(?:stop|start|reduce|lower|raise|up|have(?! to\b)|get|go to|see|call|keep|continue|use|"
         r"apply|change|switch|switch to|treat|manage|ignore|worry|wait|eat|exercise|join|turn|be worried|be concerned|ask|rest|"
         r"press|silence|unplug|disconnect|flush|remove|reset)")
# Ridding someone of a condition: "cure my eczema", "get rid of a UTI", "clear it up?".
_RID = (r"(?:reverse|cure|heal|get rid of|fight off|clear up|clear (?:it|them) up)"
        r"(?: (?:it|this|that|them|my|his|her|their|our|the|a|an)\b|\s*\?)")
_MODAL = (r"(?<!how )(?:should|shall|can|could|may|must|would|do|does|will|is it (?:ok|okay|safe|fine|alright|normal) "
          r"(?:for|if)|(?:ok|okay|safe|fine|alright) for)")
_JUDGED = (r"(?:too high|too low|high|low|normal|dangerous|serious|worrying|concerning|bad|abnormal|"
           r"raised|elevated|safe|ok|okay|right|correct|enough|too much|too many|red|hot|swollen|sore|"
           r"painful|numb|itchy|infected|broken|bleeding)")
# What a person takes or is given: a request can name the kind, not the drug ("which
# painkiller", "her tablets").
_MEDICINE = (r"(?:medicine|medication|meds|med(?! school| student)|drug|tablet|pill|capsule|painkiller|pain killer|"
             r"antibiotic|antidepressant|antihistamine|blood thinner|steroid|inhaler|cream|ointment|"
             r"drops|patch|injection|jab|vaccine|supplement|vitamin|dose|remedy|treatment|syrup|lozenge|"
             r"spray|gel|laxative|antacid|sleeping tablet|pump|cgm|pacemaker|catheter|stoma|cpap|"
             r"syringe driver|drip|oxygen|nebuli[sz]er|cannula|feeding tube)s?")
# Conditions and complaints by name: "is that sleep apnoea?", "does that mean kidney disease?".
_CONDITION = (r"(?:cancer|tumou?r|diabetes|diabetic|prediabetes|copd|asthma|pneumonia|infection|uti|sepsis|stroke|"
              r"heart attack|mi|nstemi|stemi|clot|dvt|pe|angina|dementia|alzheimer'?s|epilepsy|seizures?|migraines?|"
              r"shingles|eczema|psoriasis|acne|gout|arthritis|kidney disease|ckd|heart failure|af|afib|anaemia|"
              r"anemia|apnoea|apnea|adhd|depression|anxiety|covid|flu|a cold|cough|fever|temperature|rash|lump|"
              r"tinnitus|insomnia|tingling|numbness|dizziness|nausea|vomiting|diarrhoea|diarrhea|constipation|"
              r"bleeding|swelling|pain|ache|headaches?|toothache|fracture|sprain|concussion|head injury)")
# Parts of a body: "my arm is red and hot" is about someone's health whatever else it says.
_BODY = re.compile(
    r"\b(?:my|his|her|their|our|the|a|\w+'s) (?:left |right |lower |upper )?(?:head|face|eye|eyes|ear|ears|nose|"
    r"mouth|throat|neck|chest|heart|lung|lungs|breast|stomach|tummy|belly|abdomen|back|spine|hip|"
    r"hips|arm|arms|elbow|wrist|hand|hands|finger|fingers|leg|legs|knee|knees|ankle|ankles|foot|"
    r"feet|toe|toes|skin|kidney|kidneys|liver|bladder|bowel|bowels|joint|joints|muscle|muscles|"
    r"gums|teeth|tooth|bones?|blood|wound|scar|paw|paws)\b", re.IGNORECASE)
# Something that happened to a person's (or a pet's) body: "my dog ate a grape".
_EVENT = re.compile(
    rf"\b(?:{_PERSON}) (?:{_WORD} ){{0,3}}?(?:ate|swallowed|drank|took|fell|falls|keeps falling|fainted|"
    r"collapsed|vomited|threw up|has been sick|was sick|is bleeding|got bitten|was bitten|was stung|"
    r"hit (?:his|her|their|my) head|choked|overdosed|is confused|has been confused|been confused|"
    r"has a|has an|has had|had a|had an)\b",
    re.IGNORECASE)
# A person's own test or scan: "my own MRI report says...", "my ECG".
_OWN_TEST = re.compile(
    r"\b(?:my|his|her|their|our|\w+'s) (?:own |latest |recent |last |new )?(?:mri|ct|x-?ray|scan|ecg|ekg|echo|"
    r"ultrasound|biopsy|blood test|bloods|smear|mammogram|test results|blood results|lab results)s?\b",
    re.IGNORECASE)
# A result reported, whose it is unsaid: "mri report says small foci", "bloods came back".
_REPORTED_RESULT = re.compile(
    r"\b(?:mri|ct|x-?ray|scan|ecg|ekg|echo|ultrasound|biopsy|blood test|bloods|smear|mammogram|report|results?|"
    r"labs?|levels?)s? (?:says?|said|shows?|showed|came back|come back|reads?|mentions?|found)\b", re.IGNORECASE)
# A particular patient: "my patient", "the patient in bed 4", "pt on my ward".
_PATIENT = re.compile(r"\b(?:my|our|this) (?:patient|pt)s?\b|\b(?:patient|pt)s? (?:in bed|on (?:my|the|our) "
                      r"(?:ward|shift|list|unit))\b|\bbed \d+\b", re.IGNORECASE)
# Someone on something they take: "a patient on an MAOI", "my dad on warfarin" (not "on the ward").
_ON_SOMETHING = re.compile(
    r"\b(?:a|an|the|my|his|her|our|their|this) (?:[a-z]+ )?(?:patient|pt|resident|client|child|kid|baby|toddler|"
    r"man|woman|lady|mum|mom|dad|mother|father|son|daughter|wife|husband|partner|friend|gran|grandad|grandma) on "
    r"(?:an? |the |his |her |their )?(?!ward|unit|list|shift|floor|team|rota|waiting|call|leave|site|board)[a-z0-9-]+",
    re.IGNORECASE)
# A clause with one of these is about a career step, not a person's health.
_CAREER = re.compile(
    # a course of tablets, the risk to the baby: treatment and harm, not career steps
    r"\b(?:(?<!taking the )(?<!finish the )(?<!complete the )course(?! of)|courses|dissertation|thesis|class|classes|module|masters?|master's|degree|phd|msc|bsc|bootcamp|"
    r"certificate|certification|qualification|job|jobs|role|roles|career|careers|position|"
    r"offer|path|route|step|plunge|leap|risk(?! to| of| for)|interview|placement|internship|apprenticeship|"
    r"year out|gap year|time off|pay cut|python|coding|code|programming|sql|statistics|stats|e-prescribing|eprescribing|epma|"
    r"maths?|ai|a\.i\.|ml|machine learning|nlp|natural language processing|computer vision|deep learning|llms?|"
    r"auc|f1|accuracy|p-value|metrics?|benchmarks?|data|dataset|datasets|analytics|spreadsheets?|data science|informatics|informaticist|ethicist|"
    r"engineer|scientist|specialist|analyst|tech|technical|technology|field|industry|skills?|"
    r"learn|learning|study|studies|studying|university|uni|college|conference|portfolio|project|"
    r"model|models|algorithm|algorithms|tool|tools|workflows?|pipelines?|software|system|systems|adviser|advisor|"
    r"recruiter|salary|pay|cv|resume|background|experience|human|person|apply|applying|"
    # work as a job ("working in radiology", "my work", "back to work"), not a medicine
    # working ("does the pill still work?", "stop the pill working")
    r"(?:(?<=\bmy )|(?<=\bat )|(?<=\bto )|(?<=\bfrom )|(?<=\bour )|(?<=\btheir )|(?<=\bhis )|(?<=\bher )|"
    r"(?<=\byour )|(?<=\bthe )|(?<=\bof ))work|"
    r"(?:(?<=\bi )|(?<=\bwe )|(?<=\bthey )|(?<=\bam )|(?<=\bi'm )|(?<=\bim )|(?<=\bbeen )|(?<=\bwas ))work(?:ing)?|"
    r"work(?:ing)? (?:as|abroad|remotely|part[- ]time|full[- ]time))\b",
    re.IGNORECASE)

_STRONG_SHAPES = [re.compile(p, re.IGNORECASE) for p in (
    # should he take two tomorrow / is it safe for my husband to drive
    rf"\b{_MODAL} {_PERSON_ON} (?:to )?(?:{_WORD} ){{0,2}}?{_STRONG}",
    rf"\b(?:is it|it's|its|would it be) (?:ok|okay|safe|fine|alright) to (?:just )?{_STRONG}",
    # can I reverse it with keto / could she cure her eczema with diet / will going gluten free clear it up
    rf"\b{_MODAL} {_PERSON} (?:{_WORD} ){{0,2}}?{_RID}",
    # they want to start him on risperidone (a relative's medicine begun, kept or switched)
    rf"\b(?:start|starting|put|putting|keep|keeping|switch|switching) (?:him|her|them|me|us|my [a-z'-]+) on "
    rf"(?:(?:a|an|the|some) (?:{_WORD} )?{_MEDICINE}\b|(?!(?:a|an|the|my|this|that|nights?|days?|shifts?|earl(?:y|ies)|"
    r"lates?|call|leave|board|track|it|there)\b)[a-z0-9-]+)",
    rf"\b(?:will|would|does|do|can|could|might) (?:[a-z0-9-]+ ){{1,4}}{_RID}",
    rf"\bhow (?:do|can|could|would|should) {_PERSON} (?:{_WORD} ){{0,2}}?{_RID}",
    # can clarithromycin be taken with simvastatin
    r"\b(?:can|should|could|may) (?:\S+ ){1,3}be (?:taken|given|mixed|crushed|combined|split)\b",
    # what does my knee MRI mean / what does a d-dimer of 900 mean for my leg
    r"\bwhat (?:does|do|did|would|could) (?:my|his|her|their|our|\w+'s) .{0,60}\bmeans?\b",
    # tell me what my raised ALT result means
    r"\bwhat (?:my|his|her|their|our|\w+'s) (?:[a-z0-9'-]+ ){0,3}(?:result|level|reading|score|scan|report|bloods|test)s? "
    r"(?:means?|says?|shows?)\b",
    rf"\bmeans? (?:for|in) (?:me|him|her|them|us|(?:my|his|her|their|our) {_WORD}|{_THIRD})\b",
    # what's a normal potassium range
    rf"\bwhat(?:'s| is| are) (?:a |the )?(?:normal|safe|healthy|usual|typical|reference|target) (?:{_WORD} ){{0,2}}"
    r"(?:range|ranges|level|levels|value|values|reading|readings|limit|limits)\b",
    # is it normal for my 2 week old to sleep 6 hours
    rf"\bis it (?:normal|ok|okay|safe|fine|alright|dangerous|bad|common|healthy) for {_PERSON} to\b",
    # which painkiller would you recommend / what antibiotic is best for a chest infection
    rf"\b(?:which|what|what's|whats|what is)(?: [a-z'-]+){{0,3}} {_MEDICINE}\b(?: [a-z0-9'/-]+){{0,6}} (?:recommend|suggest|best|"
    r"safest|safer|better|right|suits?|for (?:my|his|her|their|a|an|me|him|them))\b",
    rf"(?:^(?:please |pls )?|\b(?:you|u|to) )(?:recommend|suggest|prescribe)(?: me| him| her| them)? (?:a|an|some|any|the)? ?"
    rf"(?:{_WORD} )?{_MEDICINE}\b",
    rf"\b(?:recommend|suggest|prescribe) (?:me|him|her|them|us) (?:a|an|some|any|the)? ?(?:{_WORD} )?{_MEDICINE}\b",
    rf"\b(?:best|safest|strongest|right|correct) {_MEDICINE} (?:for|to)\b",
    # is my level normal / her platelets are low / is 140/95 too high / is 40mg too much
    rf"\b(?:is|are|was|were) (?:my|his|her|their|our|\w+'s) .{{0,40}}\b{_JUDGED}\b",
    rf"\b(?:my|his|her|their|our|\w+'s)(?: {_WORD}){{1,3}} (?:is|are|was|were|has been|have been|is getting|"
    r"looks?|seems?|feels?|keeps? getting) "
    rf"(?:{_WORD} )?{_JUDGED}\b",
    rf"\b(?:is|are) .{{0,30}}(?<![\d.,/])\d[\d.,/]{{0,12}}.{{0,30}}\b{_JUDGED}\b",
    rf"(?<![\d.,/])\d[\d.,/]{{0,12}}\s?[a-z]*(?: {_WORD}){{0,4}} (?:is|are) (?:{_WORD} )?{_JUDGED}\b",
    # could my tiredness be anaemia / what's wrong with my patient
    rf"\bcould (?:my|his|her|their|our) {_WORD}(?: {_WORD})? be\b",
    r"\bwhat's wrong with (?:me|him|her|them|my|his|her|the|a|this)\b",
    r"\bwhat is wrong with (?:me|him|her|them|my|his|her|the|a|this)\b",
    # what do I do if a patient... / what should I give a patient / what do I do tonight
    rf"\bwhat (?:should|do|can|must|would) (?:i|we|they|he|she) (?:do|give|try) (?:(?:now|right now) )?"
    rf"(?:if|when|for|about|with) {_THIRD}",
    r"\bwhat (?:should|do|can|must|would) (?:i|we|they|he|she) give\b",
    r"\bwhat (?:should|do|can|must) (?:i|we|they|he|she) do (?:now|right now|tonight)\b",
    r"\binterpret (?:this|these|my|his|her)\b",
    # does he need hospital / should I go to A&E / call an ambulance
    r"\b(?:need|needs|go to|go|take \w+ to|call|ring) (?:an? |the )?(?:hospital|ambulance|a&e|er|"
    r"urgent care|emergency department|999|911|111)\b",
    # how much X should I take / what dose / the ketamine dose for a 20kg kid
    rf"\bhow (?:much|many|often|long)(?: {_WORD}){{0,4}} (?:should|can|do|must|may) {_PERSON} "
    r"(?:take|give|use|wait|drink|eat|supplement|stay off|rest)\b",
    r"\bhow (?:much|many) (?:mg|mcg|ml|units|tablets|pills|puffs|drops)\b",
    rf"\bwill {_PERSON} be (?:ok|okay|alright|all right|fine)\b",
    rf"\bwhat (?:should|do|can|must) (?:i|we) (?:tell|say to) {_THIRD}",
    r"\b(?:what|what's|which|max|maximum|right|correct|usual|safe|starting|normal|equivalent|the|my|his|her)"
    r" (?:[a-z0-9-]+ ){0,3}(?:dose|dosage|amount)\b"
    # a dose that names a system ("the drug dose alerts", "dose calculator") is the work's object
    r"(?! (?:data|model|recommend|alerts?|alerting|calculators?|checks?|checking|errors?|modules?|software|systems?|tools?))",
    r"^(?:[a-z0-9-]+ )?(?:dose|dosage)s? (?:of|in|for)\b",
    # a quantity for a particular patient: the max paracetamol for a 45kg adult, the rate for a 90kg patient
    rf"\b(?:dose|dosage|doses|rate|amount|max|maximum|much|many|mg|mcg|ml|units|regimen|infusion)\b"
    rf"(?: [a-z0-9'/-]+){{0,6}}? (?:for|in|of) {_SIZED}",
    r"\b(?:dose|dosing|mg|mcg|ml|units) per (?:kg|kilo)\b",
    # converting a medicine from one route to another: oral morphine to a subcut syringe driver
    r"\b(?:convert|converting|conversion|equivalent)\b.{0,40}\b(?:oral|iv|intravenous|subcut|subcutaneous|sc|im|"
    r"intramuscular|po|syringe driver|patch|infusion|liquid)\b",
    # the assistant asked to act on a patient: would you start a statin in a 62 year old
    rf"\b(?:would|should|do|will|can|could) (?:you|u) (?:{_WORD} )?(?:give|{_STRONG}|start|stop|prescribe|treat|triage|manage|"
    rf"put|use|up|raise|lower|change|switch|continue)\b(?:(?: [a-z0-9'/-]+){{0,4}}? (?:on|in|for|to) {_PERSON}| {_THIRD})",
    # an action on a person's medicine: open his capsule, stopping any of my tablets, adjust my basal
    rf"\b(?:open|crush|split|halve|mix|dissolve|chew|cut|stop|stopping|start|starting|change|changing|reduce|"
    rf"reducing|increase|increasing|double|doubling|skip|skipping|swap|swapping|taper|tapering|adjust|adjusting|"
    rf"titrate|titrating|come off|coming off|restart|restarting) (?:any of |some of |one of |all of )?"
    rf"(?:my|his|her|their|our|\w+'s) (?:[a-z0-9'-]+ ){{0,2}}?(?:{_MEDICINE}|basal|bolus|insulin|[a-z]+(?:statin|olol|pril|sartan))\b",
    rf"\b(?:taper|tapering|titrate|titrating|wean|weaning) (?:off |down |up )?(?:my |his |her |their |the |a )?[a-z0-9-]+",
    rf"\b(?:right|best|safest|correct|proper|quickest|fastest|safe) way to {_STRONG}",
    # the meaning of a particular result: a PSA of 6, a titre of 1:160; on my ultrasound report
    r"\bwhat (?:does|do|would|could) (?:a|an|the|my|his|her|their|\w+'s) (?:[a-z0-9'-]+ ){0,6}?(?:of|at|is) "
    r"[\d.,:/]+\S*(?: [a-z0-9'-]+){0,6}? mean\b",
    r"\bmeans? (?:on|in|for) (?:my|his|her|their|\w+'s|a|an|the) (?:[a-z0-9-]+ ){0,2}(?:report|scan|result|results|"
    r"letter|ecg|ekg|x-?ray|mri|ct|bloods|test|echo|ultrasound)s?\b",
    # the result named first: what does 'mild LVH' on my echo mean
    r"\bwhat (?:does|do|did|would|could) .{0,60}?\b(?:on|in|from) (?:my|his|her|their|\w+'s) (?:[a-z0-9-]+ ){0,2}"
    r"(?:report|scan|result|results|letter|ecg|ekg|x-?ray|mri|ct|bloods|test|echo|ultrasound|biopsy)s? mean\b",
    # what someone should do for a particular person: what should the team do for him
    rf"\bwhat (?:[a-z'-]+ ){{1,6}}?do (?:for|to|with|about) (?:him|her|{_THIRD})\b",
    rf"\bwhat(?:'s| is)? (?:the )?(?:first|next|best) thing (?:i|we|you|he|she|they) (?:should|must|can|do) give\b",
    rf"\bhow (?:much|many)(?: {_WORD}){{0,4}} (?:would|should|do|can|could) (?:you|u) (?:give|use|prescribe|start)\b",
    rf"\bhow (?:often|much|long)(?: {_WORD}){{0,3}} (?:should|can|do|must) {_PERSON} (?:be )?{_WORD} {_THIRD}",
)]
_WEAK_SHAPES = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b{_MODAL} {_PERSON_ON} (?:to )?(?:{_WORD} ){{0,2}}?{_WEAK}\b",
    r"\b(?:is it|it's|is that|would it be) (?:ok|okay|safe|fine|alright|dangerous|bad|normal) (?:to|for)\b",
    r"\b(?:is|was) (?:it|that|this) (?:ok|okay|normal|serious|bad|dangerous|urgent|an emergency|right|correct|"
    r"wrong|safe|too much)\b",
    # an app tells me to double my insulin, should I just do it
    r"\bshould (?:i|we|he|she|they) (?:just )?(?:do|follow|trust|listen to|believe) (?:it|that|this|them|what)\b",
    # my kid has a temp: calpol or nurofen?
    # ... but not a choice of careers: "informatics or data science?"
    r"^(?!.*" + _CAREER.pattern + r")(?:(?:just|so|then|and) )?[a-z0-9-]+(?: [a-z0-9-]+)? or [a-z0-9-]+(?: [a-z0-9-]+)?\s*\?$",
    rf"\b(?:does|do|did) (?:that|this|it) mean {_PERSON}",
    r"\b(?:does|do|will|would) (?:that|this|it) need\b",
    r"\bhow much is too much\b",
    # the max paracetamol an adult can take / how many ibuprofen can you have in a day
    rf"\b(?:max|maximum|most|how much|how many)(?: [a-z0-9'-]+){{0,5}} (?:can|could|should|may) "
    rf"(?:(?:{_PERSON}|you|u|one|people|adults?|kids|children|an? {_WORD}) )?(?:safely )?(?:take|have|give|drink)\b",
    r"\bwhat are the chances (?:my|his|her|their|it|that|it's|its)\b",
    # whether a result or a complaint is a condition: "does that result mean cancer?", "could that be a clot"
    rf"\b(?:does|do|could|would|might|can) (?:that|this|it|these|they|the \w+)(?: \w+)? (?:mean|be|indicate|suggest) "
    rf"(?:i have |he has |she has |they have |it's |its |an? )?{_CONDITION}\b",
    rf"\bis (?:it|that|this) (?:an? )?(?:{_WORD} )?{_CONDITION}\b",
    # how bad it is: "how bad is my kidney function", "how serious is that"
    r"\bhow (?:bad|serious|dangerous|worrying) (?:is|are) (?:my|his|her|their|this|that|it|these)\b",
    r"\bwhat(?:'s| is| could be| might be) caus(?:ing|es) (?:the |my |his |her |this |these )?\w+",
    # which medicine works best: "which triptan works best", "which sleeping pill is least addictive"
    rf"\bwhich (?:{_WORD} )?(?:{_WORD}) (?:works? (?:best|better|fastest)|is (?:the )?(?:best|safest|least|most|strongest))\b",
    rf"\b(?:any|what|which) (?:{_WORD} )?{_MEDICINE} (?:that |to |for |which )?(?:fix|fixes|help|helps|work|works|stop|stops|cure|cures)\b",
    # going in for care: "go to the doctor or wait?", "does she still need to go in", "should we go back to the hospital"
    r"\b(?:go|come|get|take (?:him|her|them)) (?:back )?(?:in|to (?:a&e|a and e|ed|er|the er|hospital|the hospital|"
    r"(?:the|a|my|his|her) (?:doctor|doctors|gp|dentist)|urgent care|casualty))\b(?! (?:school|uni|university|work|study))",
    r"\bor (?:can it|should (?:i|we|he|she|they)|do (?:i|we)|just) wait\b",
    r"\b(?:a&e|a and e|ed|er|hospital|doctors?|gp|111|999|urgent care) or (?:just )?wait\b",
    # a result or finding asked to be staged: "my biopsy came back ..., what stage is that?"
    r"\bwhat (?:stage|grade) (?:is|of) (?:that|this|it|mine|his|hers)\b",
    rf"\b(?:should|do|does|must|need) {_PERSON} (?:be )?(?:worried|worry|concerned|panic|scared|afraid)\b",
    rf"\bhow (?:worried|concerned) should {_PERSON}\b",
    r"\b(?:something|anything) to worry about\b",
    r"\bcould (?:it|this|that) be\b",
    r"\bwhat (?:could|might|can) (?:it|this|that) be\b",
    # "is it shingles?"; "is it worth it?", "is it hype?" judge prospects, not a body; "what
    # is that exactly?" asks what something is
    r"(?<!what )(?<!who )(?<!how )\bis (?:it|that|this) (?!(?:worth|hype|overhyped|realistic|possible|feasible|true|likely|useful|common|growing|"
    r"popular|sustainable|overkill|too late|a good idea|a thing|a bubble|a fad)\b)(?:a |an )?[a-z0-9-]+(?: [a-z0-9-]+)?\s*\?",
    r"\b(?:am i|is (?:he|she)|are (?:they|we)) (?:a |an )?[a-z-]+\s*\?",
    rf"\b(?:do|does|have|has) (?:i|he|she|they|my {_WORD}|his {_WORD}|her {_WORD}) (?:have|got)\b",
    r"\bwhat (?:i|he|she|they) (?:have|has|got)\b",
    # "what do they do" asks what a role does for a living; "what do I do" asks for help
    rf"\bwhat (?:(?:should|can|must|would) (?:i|we|they|he|she)|do (?:i|we)) do\b",
    # needing to know or learn something is a career step, not care ("do I need to know what HbA1c means")
    rf"\b(?:do|does|should|will) {_PERSON} need\b(?! to (?:know|understand|learn|study|have (?:a|an) (?:degree|background)))",
    r"\b(?:see|need) (?:a |the |my )?(?:doctor|gp|nurse|pharmacist|specialist)\b",
    r"\b(?:better|best|safest|safe|right) for (?:me|him|her|them|my|his|her|their|a|an|[a-z]+ pain)\b",
    r"\b(?:read|check|look at) (?:my|his|her|this|these)\b",
    # the care home asked if a resident can have her tablets crushed
    rf"\b{_PERSON} (?:{_WORD} ){{0,3}}?(?:can|should|could|may|must) (?:still |safely |just )?(?:{_STRONG}|{_WEAK})\b",
    rf"\b(?:have|get) (?:my|his|her|their|the) (?:{_WORD} ){{0,2}}(?:crushed|split|changed|increased|reduced|"
    r"stopped|checked|tested|looked at|removed)\b",
    # does my cholesterol of 7.4 need statins / my mole looks like melanoma / is that my heart
    r"\b(?:my|his|her|their|our|\w+'s)(?: [a-z0-9.'-]+){1,4} (?:needs?|requires?|warrants?)\b",
    r"\b(?:my|his|her|their|our|\w+'s)(?: [a-z0-9'-]+){1,3} (?:looks?|sounds?|seems?|feels?) like\b",
    r"\b(?:is|could) (?:it|that|this) (?:be )?(?:my|his|her|their)\b",
    # how many paracetamol is too many
    rf"\bhow (?:much|many)(?: {_WORD}){{0,3}} (?:is|are) (?:too (?:much|many)|safe|dangerous|ok|okay)\b",
    # how long after taking codeine can you drive
    rf"\b(?:after|before|while|when) (?:taking|having|drinking|starting|stopping|on) (?:{_WORD} ){{0,3}}"
    r"(?:can|should|could|may|is it)\b",
    # whether to act, unsure: not sure whether to rebolus; what's usual?
    r"\b(?:whether|if) (?:to|(?:i|we|he|she|they) (?:should|ought to)) [a-z-]+",
    r"\bwhat(?:'s| is| are) (?:the )?(?:usual|normal|typical|standard)\s*\??$",
    # the next step in a particular case: what's next, what's the workup, what should I check first
    r"\bwhat(?:'s| is| are)(?: the)? (?:next|workup|work-up|work up|plan|management|differential)\s*\??$",
    rf"\bwhat (?:should|would|do|does|can|must) (?:the |my |our |a )?{_WORD}(?: {_WORD})? (?:do|give|check|try|say) "
    r"(?:first|next|now)\b",
    r"\bwhat (?:should|would|do|can|must) (?:i|we) (?:tell|say to|advise)\b",
    # the assistant asked for a clinical judgement: would YOU say so, would you recommend ozempic
    r"(?<!what )(?<!which )(?<!who )\b(?:would|do|does|can|could|will) (?:you|u) (?:say|think|reckon|recommend|suggest|"
    r"advise|prescribe|start|stop|triage|treat)\b(?! (?:for|to) (?:me|someone|a person)\b)",
    rf"(?:^(?:please |pls )?|\b(?:can|could|would) (?:you|u) )(?:tell|give) me (?:the |a |an |what )?(?:{_WORD} ){{0,3}}?"
    r"(?:dose|dosage|rate|amount|max|maximum|how much|how many|right|correct|safe|normal)\b",
    # two medicines together: is ibuprofen ok with lisinopril, sertraline and tramadol together ok
    r"\b(?:is|are) (?:[a-z0-9-]+ ){1,3}(?:ok|okay|safe|fine|alright) (?:with|alongside|together)\b",
    r"\b(?:together|at the same time|with each other) (?:ok|okay|safe|fine|alright)\b",
    # a plan to take something, what it does for a complaint, what else it does
    r"\b(?:thinking of|thinking about|planning to|planning on|going to|about to|want to|wanting to) (?:take|taking|"
    r"start|starting|stop|stopping|come off|coming off|try|trying|double|doubling)\b",
    r"\b(?:does|do|will|would|can|could) (?!you |u )(?:[a-z0-9-]+ ){1,3}help (?:with|for|my|his|her|their)\b",
    r"\b(?:side effects?|interactions?|contraindications?) (?:of|with|for|from)\b",
    r"\b(?:does|do|would) (?:that|this|it|my|his|her|the)(?: [a-z0-9-]+){0,2} sound (?:like|bad|serious|normal|ok|"
    r"okay|worrying)\b",
    r"\bwhat (?:does|do|did) (?:that|this|it) mean\b",
    r"\bwhat (?:would|should|do|can) (?:you|u) (?:give|prescribe)\b",
    r"\bwhat (?:would|should) (?:you|u|i|we) do (?:clinically|medically)\b",
    # a particular reading: a patient's sodium is 125; is a troponin of 0.08 a heart attack
    # ... but a person's age is no reading ("my son is 16 and wants to do AI").
    rf"\b(?:my|his|her|their|our|\w+'s) (?!{_RELATIVE} (?:is|was) )(?:[a-z0-9-]+ ){{1,2}}(?:is|was|of|at|came back at|"
    r"dropped to|went up to) \d[\d.,/]*\b(?! ?(?:years?|yrs?|yo)\b)",
    r"\b(?:is|was|are) (?:a|an|the|my|his|her|their|\w+'s) (?:[a-z0-9'-]+ ){0,3}?(?:of|at) \d[\d.,:/]*",
    rf"\b[a-z0-9-]+ or [a-z0-9-]+ for {_PERSON}",
    rf"\bhow (?:fast|quickly|soon|long|often|much|many)(?: {_WORD}){{0,4}} (?:should|can|do|must|may|could) "
    rf"{_PERSON} (?:{_WORD} )?(?:run|give|push|correct|infuse|increase|decrease|take|use|stay off|rest|return|"
    r"go back|drive|fly|eat|drink)\b",
)]
# The writer in crisis: no career talk makes this a career question, so it is read over the
# whole message ("i'm a junior dev on a health AI team and i've been thinking about ending things").
_CRISIS = re.compile(
    r"\b(?:end(?:ing)? (?:it all|things|my life|it)(?! with\b)|kill(?:ing)? myself|hurt(?:ing)? myself|"
    r"harm(?:ing)? myself|take my (?:own )?life|want(?:ed)? to die|(?:don't|dont|do not) want to (?:live|be here|"
    r"wake up)|no reason to live|(?:can't|cant|cannot) go on|(?:can't|cant|cannot) cope|not coping|"
    r"spiral(?:l)?ing|falling apart|breaking point|suicidal|self[- ]harm(?:ing)?|(?:in )?a (?:really )?dark place|"
    r"better off without me|(?:no|any) point (?:in )?(?:living|going on|being alive)|(?:can't|cant) do this anymore|"
    r"(?:can't|cant|don't|dont) see a way out|give up on (?:life|everything))\b", re.IGNORECASE)
# An AI asked to do a clinician's work on a particular person ("can your AI check if this mole
# looks cancerous", "does my x-ray look normal to your algorithm"): the AI is who is asked, not
# the career asked about, so the career words it brings excuse nothing.
_MACHINE = r"(?:ai|a\.i\.|model|algorithm|app|tool|chatbot|bot|system|software)s?"
_AI_ASKED = [re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?:can|could|would|will|does|do|which|is there an?)(?: [a-z]+){{0,2}}? {_MACHINE}(?: [a-z]+){{0,2}}? (?:check|tell|"
    r"figure out|work out|diagnose|predict|estimate|read|look at|say|spot|detect|assess|interpret|see|find)"
    r"(?: me| us)?(?: if| whether| what| how)? (?:this|these|my|his|her|our|i'll|i|me|he|she)\b"
    r"(?! (?:model|algorithm|code|cv|project|data|career|app)\b)",
    rf"\b(?:my|his|her|their|our|this|these)(?: [a-z0-9-]+){{1,3}} looks? (?:{_WORD} )?(?:normal|ok|okay|bad|cancerous|"
    rf"serious|fine|abnormal) to (?:your|the|an?|this) {_MACHINE}",
    # which antibiotic would your AI model pick for cellulitis
    rf"\b(?:which|what) (?:{_WORD} )?{_MEDICINE} (?:would|should|will|does|could|do) (?:your|the|an?|this) "
    rf"(?:{_WORD} )?{_MACHINE} (?:pick|choose|recommend|suggest|prescribe|give|use)\b",
)]
# Words said in passing that split no clause and change no request ("what should I actually do").
_FILLER = re.compile(r"(?<=[a-z0-9]) (?:actually|really|honestly|literally|definitely|just)\b")
# A request's verb straight after its subject, with no modal before them, tells what someone
# does ("I titrate vasopressors all day", "I prescribe antibiotics"): it asks nothing.
_SUBJECTS = ("i", "we", "they", "you")
_ASKING = re.compile(r"(?:can|could|should|shall|may|might|must|would|will|do|does|did|if|whether|to|"
                     r"recommend|suggest|advise)")
# Where or how to begin, with no object, is asked of a career ("where do I start?").
_BEGIN = re.compile(r"(?:start|begin|get started|go|get)$")
# Words that open a question: the words after them up to a request are its subject.
_WH = re.compile(r"(?:which|what|what's|whats|how|who|whose|where|why|when)", re.IGNORECASE)
# Words a question opens with.
_OPENS = re.compile(r"(?:is|are|was|were|should|shall|can|could|may|might|must|would|will|do|does|did|"
                    r"what|what's|how|which|who)\b", re.IGNORECASE)
# A listed request phrase after one of these, near a career thing, names the work ("AI for
# diagnosing", "my dissertation was on opioid prescribing").
_PREPOSITIONS = ("for", "in", "on", "of", "about", "into")
# ... and after a listed request phrase's first word ("switch | to AI imaging").
_PHRASE_OBJECT_WORDS = 3
# Words after a whole request phrase that lead to a field of work ("what could I do | in AI").
_INTO = frozenset(("in", "into", "within"))
# How many words after a request are read as its object ("should I take | a masters").
_OBJECT_WORDS = 5
# ... and before it, its subject ("which course | should I take").
_SUBJECT_WORDS = 3
# A sentence ends at . ? ! ; : but not at the point of a number ("a cholesterol of 7.4").
_CLAUSE = re.compile(r"(?:[^.?!;:\n]|(?<=\d)\.(?=\d))+[.?!;:\n]*")
# Sub-clauses after these words are read on their own ("..., but should I stop my statin").
_JOIN = re.compile(r"\b(?:but|though|however|anyway|btw|actually|honestly)\b|,|\s[-–]\s",
                   re.IGNORECASE)

# WHO INN stems of medicines: a word ending so is a drug whatever its name.
_DRUG = re.compile(
    r"\b[a-z]{2,}(?:olol|alol|pril|sartan|statin|dipine|semide|thiazide|azole|cillin|mycin|micin|"
    r"cycline|floxacin|oxacin|parin|xaban|gatran|triptan|azepam|zolam|oxetine|alopram|triptyline|"
    r"pramine|setron|dronate|lukast|gliptin|gliflozin|glitazone|profen|codone|morphone|adone|"
    r"tidine|olone|asone|isone|gabalin|apentin|trigine|racetam|rizine|tadine|umab|ximab|zumab|"
    r"tinib|ciclovir|clovir|fovir|navir|afil)s?\b", re.IGNORECASE)
# Clinical measurements: a dose with its unit, a blood pressure, a reading ("came back at 7.2").
_MEASURE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ug|ml|mmol(?:/l|/mol)?|iu|units|bpm|mmhg|ng/l|ng/ml|"
                      r"mg/dl|g/l|g/dl|µmol/l|umol/l|mcg/l|mm|cm)(?![a-z])|"
                      r"\b(?:dropped|fell|rose|went up|went down|jumped|crept up) from \d+(?:\.\d+)? to \d|"
                      r"\b(?:[89]\d|1\d\d|2\d\d)/(?:[4-9]\d|1[0-4]\d)\b|"
                      r"\b(?:is|was|reads?|came back(?: at)?|dropped to|went up to|down to|up to|level of) "
                      r"\d+(?:\.\d+)?\b(?!\s*(?:years?|yrs?|months?|weeks?|days?|hours?|%|percent|k\b|people|too old|too young|old|yo\b))",
                      re.IGNORECASE)


def clauses(text: str) -> List[str]:
    """The message's clauses: its sentences, split again at 'but', 'though', 'right now'."""
    out: List[str] = []
    for sentence in _CLAUSE.findall(_FILLER.sub("", text.lower().replace("’", "'"))):
        out.extend(p.strip(" ,") for p in _JOIN.split(sentence) if p.strip(" ,"))
    return out


def asks_for_care(text: str, medical: bool = False) -> bool:
    """Some clause asks for an action on, or a reading of, a person's health, and names no
    career step. The looser shapes ("should I see someone", "what could it be") count only
    when the message names something medical (`medical`, or a drug-like word)."""
    if _CRISIS.search(text) or any(shape.search(clause) for clause in clauses(text) for shape in _AI_ASKED):
        return True
    medical = medical or health_context(text)
    shapes = [*_STRONG_SHAPES, *(_WEAK_SHAPES if medical else ())]
    return any(_about_health(clause, match) for clause in clauses(text)
               for shape in shapes for match in shape.finditer(clause))


def _about_health(clause: str, match: "re.Match[str]", careers_excuse: bool = True) -> bool:
    """The request and the few words after it (its object) name no career step, nor does
    the question's subject before it ("which course | should I take"); words before it that
    are no question's subject are a wrapper ("as an AI student | is it safe to take...").
    Without `careers_excuse`, only the request's grammar ("I titrate...", "who do we need")
    can tell it is none."""
    before = clause[:match.start()].split()[-_SUBJECT_WORDS:]
    if not any(_WH.fullmatch(w) for w in clause[:match.start()].split()):
        # Only the subject of a question ("which course | should I take", "what does my
        # background in biochemistry | mean for my options") makes it a career step; words
        # before the request in no question are a wrapper ("would an AI ethicist say | it's
        # fine to take...").
        before = []
    after = clause[match.end():].split()[:_OBJECT_WORDS]
    if _MODELLED.search(clause[:match.start()]):
        return False  # "models that predict which patients will stop their steroids": what a model does
    if _told(clause[:match.start()].split()):
        return False  # "I titrate vasopressors all day": what the writer does, not a request
    asker = before[-1] if before else ""
    if asker in ("who", "whom") and re.search(r"\bneed\b", match.group()):
        return False  # "who do we need on the team": a person to hire
    if asker in ("where", "how") and _BEGIN.search(match.group()) and not [w for w in after if w.strip("?!.")]:
        return False  # "where do I start?": how to begin, and no one's health as its object
    return not (careers_excuse and _CAREER.search(" ".join([*before, match.group(), *after])))


# What a model predicts is no request: "models that predict which patients will stop their steroids".
_MODELLED = re.compile(r"\b(?:predicts?|predicting|forecasts?|forecasting|flags?|flagging|detects?|detecting|"
                       r"identif(?:y|ies|ying)) (?:which|who|whether|when|if)\b")
# Verbs that report talk or study of a subject: "we also discussed | interactions with ...".
_REPORTED = frozenset("discussed talked covered mentioned read learned learnt studied researched presented "
                      "reviewed wrote taught heard".split())


def _told(before: List[str]) -> bool:
    """The words before a request end in its subject with no modal before it ("I | prescribe"),
    so it tells what someone does; "should I | switch to" asks. So do a subject and a verb
    reporting talk or study ("we also discussed | interactions with anticoagulants")."""
    last = before[-2:]
    if last and last[-1] in _SUBJECTS and not (len(last) == 2 and _ASKING.fullmatch(last[0])):
        return True
    tail = before[-3:]
    return bool(tail) and tail[-1] in _REPORTED and any(w in _SUBJECTS for w in tail[:-1])


def clause_at(text: str, start: int) -> Tuple[str, int]:
    """The clause (as `clauses` cuts them) that holds character `start` of `text`, and where
    in it that character is."""
    lower = text.lower().replace("’", "'")
    for sentence in _CLAUSE.finditer(lower):
        if sentence.start() <= start < sentence.end():
            at, body = start - sentence.start(), sentence.group()
            begin, end = 0, len(body)
            for join in _JOIN.finditer(body):
                if join.end() <= at:
                    begin = join.end()
                elif join.start() > at:
                    end = join.start()
                    break
            part = body[begin:end]
            stripped = part.lstrip(" ,")
            return stripped.rstrip(" ,"), at - begin - (len(part) - len(stripped))
    return lower, start


def career_clause(text: str, start: int, end: Optional[int] = None) -> bool:
    """A listed request phrase at `start` is used in a career sense: inside a question about a
    career step or AI work ("how is AI changing the way cancer is diagnosed": the clause
    opens with a question word and names a career thing before the phrase); with a career
    thing as its object ("switch to AI imaging", "prescribing workflows"); as the work a
    career thing is for ("AI for diagnosing blood cancers"); or telling what the writer does
    ("I prescribe antibiotics every day"). A wrapper that is no question ("as an AI student
    is it safe to...") does not count."""
    clause, at = clause_at(text, start)
    words = clause.split()
    before, rest = clause[:at].split(), clause[at:].split()
    obj = " ".join(rest[1:1 + _PHRASE_OBJECT_WORDS])  # the phrase's first word, then its object
    if end is not None:  # ... or where the whole phrase leads: "what could i do | in ai"
        after = clause[at + max(0, end - start):].split()
        if after[:1] and after[0] in _INTO:
            obj += " " + " ".join(after[1:1 + _PHRASE_OBJECT_WORDS])
    return bool(words and _WH.fullmatch(words[0]) and _CAREER.search(clause[:at])
                or _CAREER.search(obj)
                or any(w in _PREPOSITIONS for w in before[-2:]) and _CAREER.search(" ".join(before[-5:]))
                or _told(before))


def career_talk(text: str) -> bool:
    """The message speaks of a career or of AI work (a course, a role, a model, skills)."""
    return bool(_CAREER.search(text))


def health_context(text: str) -> bool:
    """The message speaks of a body, a medicine or something that befell someone: the looser
    request shapes then count. Not counted as medical words, so it weighs on no other rule."""
    return bool(drug_like(text) or _BODY.search(text) or _EVENT.search(text) or _OWN_TEST.search(text)
                or _REPORTED_RESULT.search(text)
                or _PATIENT.search(text) or _ON_SOMETHING.search(text)
                or re.search(rf"\b(?:{_MEDICINE}|{_CONDITION}|signs|symptoms?|type [12])\b", text, re.IGNORECASE))


def drug_like(text: str) -> int:
    """How many words are shaped like medicines or clinical measurements."""
    return len(_DRUG.findall(text)) + len(_MEASURE.findall(text))


def asks_only_about_careers(text: str) -> bool:
    """Every clause that asks something names a career step or AI work ("could I become a
    data scientist?", "whose job is it to catch that?"), and no clause has the shape of a
    request for care (loose shapes included, career words around it or not), nor a crisis. The classifier, which reads every
    medical word of the story around such a question, is then no reason to decline it."""
    if _CRISIS.search(text):
        return False
    parts = clauses(text)
    if any(shape.search(clause) for clause in parts for shape in _AI_ASKED) or any(
            _about_health(clause, match, careers_excuse=False) for clause in parts
            for shape in (*_STRONG_SHAPES, *_WEAK_SHAPES) for match in shape.finditer(clause)):
        return False  # a request's shape, even one career words around it excuse, is no career question
    asking = [c for c in parts if c.endswith("?") or _OPENS.match(c) or _WH.match(c)]
    return bool(asking) and all(_CAREER.search(c) for c in asking)
