# leadhub public site: Hmong, White Hmong RPA (machine-assisted draft translated from en; needs review by native speakers).
# Every key here must exist in es, so and hmn (a test fails otherwise).
# Placeables: $site (site name), $phone, $area, $code, $due, $max, $minutes.

## Language names, always written in their own language
lang-en = English
lang-es = Español
lang-so = Soomaali
lang-hmn = Hmoob
language-switch = Hom lus

## Frame
skip-to-content = Hla mus rau cov ntsiab lus tseem ceeb
site-tagline = Kev saib xyuas thiab kev sib koom tes, tsis yog tsev loj cuj
nav-home = Nplooj tsev
nav-about = LEAD yog dab tsi
nav-fits = LEAD pab leej twg
nav-refer = Xa ib tug neeg tuaj
nav-contact = Tiv tauj peb
nav-reach = Sij hawm thiab xov tooj
nav-governance = Peb khiav hauj lwm li cas
nav-privacy = Kev ceev ntiag tug
nav-menu = Ntawv qhia
emergency-banner = Yog muaj xwm txheej ceev, hu 911. LEAD tsis yog kev pab xwm txheej ceev.
footer-about = LEAD Minneapolis pab cov neeg nyob ib ncig East Lake Street.
footer-hours = Cov neeg ua hauj lwm nyeem cov lus xa tuaj hnub Ib txog hnub Tsib, 9 AM txog 4 PM (sij hawm Central).
demo-banner = Lub vev xaib no yog qauv xwb: txhua yam ntawm no yog muab tsim los, tsis yog tseeb.

## Home
home-title = Pab peb cov neeg zej zog, tsis yog muab ntes
home-lead = LEAD txuas cov neeg nyob East Lake Street uas muaj teeb meem nrog yeeb tshuaj, kev noj qab haus huv ntawm lub hlwb los yog kev txom nyem, thiab vim li ntawd thiaj raug teeb meem nrog txoj cai ntau zaus, rau ib tug neeg saib xyuas kev pab (case manager) uas yuav nrog lawv mus ntev npaum li lawv xav tau kev pab.
home-refer-button = Xa ib tug neeg tuaj
home-contact-button = Nug ib lo lus nug
home-card-what-title = LEAD ua dab tsi
home-card-what-body = Cov neeg saib xyuas kev pab mus ntsib neeg qhov chaw uas lawv nyob, ntawm txoj kev, thiab nrog lawv ua hauj lwm txog chaw nyob, kev noj qab haus huv, nyiaj khwv tau thiab lwm yam uas lawv xaiv. Tsis muaj kev rau txim, thiab tsis muaj leej twg raug ntiab tawm.
home-card-who-title = Leej twg xa tuaj tau
home-card-who-body = Cov neeg hnub nyoog 18 xyoo rov saud uas nyob los yog siv sij hawm ib ncig East Lake Street, thiab lawv cov teeb meem nrog txoj cai los ntawm tej kev xav tau uas tseem tsis tau muaj kev pab. Tsis paub meej? Xa tuaj xwb thiab peb yuav nrhiav kev daws.
home-card-reach-title = Kev tiv tauj ib tug neeg ua hauj lwm
home-card-reach-body = Hu los yog xa text rau { $phone }. Nov yog ib txoj xov tooj tso lus (voicemail) uas peb mloog txhua hnub ua hauj lwm, thiab peb sim teb hauv ib hnub ua hauj lwm.
home-steps-title = Yuav muaj dab tsi tshwm sim tom qab koj xa ib tug neeg tuaj
home-step-1 = Koj qhia peb tej yam koj paub: lub npe yog koj paub, los yog tsuas yog tus neeg ntawd zoo li cas thiab koj pom nws qhov twg.
home-step-2 = Ib tug neeg saib xyuas kev pab yuav nyeem hauv ib hnub ua hauj lwm thiab, yog koj thov, yuav tiv tauj koj los nug ntxiv.
home-step-3 = Peb cov neeg ua hauj lwm tawm mus ntsib neeg yuav mus nrhiav tus neeg ntawd thiab muab kev pab rau nws. Nws yeej yog tus txiav txim siab seb nws puas kam txais.

## About
about-title = LEAD yog dab tsi, thiab tsis yog dab tsi
about-lead = LEAD yog lus Askiv luv rau Let Everyone Advance with Dignity ("Cia Txhua Tus Neeg Mus Tom Ntej Nrog Lub Meej Mom"). Nws pib hauv Seattle xyoo 2011 thiab tam sim no siv nyob rau ntau tshaj 80 lub zej zog. Hauv Minneapolis, nws pib xyoo 2022 nyob ib ncig East Lake Street, thiab Pillsbury United Communities yog tus tuav.
about-is-title = LEAD yog
about-is-1 = Kev saib xyuas kev pab ntev ntev ntawm txoj kev, ntev npaum li tus neeg xav tau.
about-is-2 = Kev txo kev puas tsuaj (harm reduction): mus ntsib neeg qhov chaw uas lawv nyob tam sim no, tsis yuam kom lawv tsum siv yeeb tshuaj ua ntej.
about-is-3 = Ib txoj kev uas tub ceev xwm, cov kws lij choj foob, cov kws lij choj tiv thaiv, cov kev pab kho mob thiab cov neeg zej zog sib koom tes ua hauj lwm es tsis yog sib tawm tsam.
about-is-4 = Ib qho kev teb rau tej kev xav tau uas tsis tau muaj kev pab uas ua rau muaj tej kev ua txhaum me me, xws li muab khoom hauv khw mus tsis them nyiaj, siv yeeb tshuaj hauv chav dej pej xeem los yog nyob ntev ntev ntawm chaw nres tsheb.
about-not-title = LEAD tsis yog
about-not-1 = Kev pab xwm txheej ceev. Yog muaj leej twg nyob hauv kev txaus ntshai tam sim no, hu 911.
about-not-2 = Ib qho kev pab cuam ntawm tsev hais plaub. Tsis muaj kev rau txim, tsis muaj tus kws txiav txim, thiab tsis tas yuav tsum tau raug ntes ua ntej.
about-not-3 = Ib qho kev pab cuam uas koj yuav ua tsis tiav. Tsis muaj leej twg raug tshem tawm vim siv yeeb tshuaj, tsis tuaj raws sij hawm teem, los yog ncua mus ib ntus.
about-not-4 = Ib txoj kev los qhia txog kev ua txhaum cai. Tej yam uas cov neeg koom nrog qhia rau lawv tus neeg saib xyuas kev pab tsuas mus txog tub ceev xwm los yog cov kws lij choj foob raws li tus neeg koom nrog pom zoo ua ntawv sau xwb.
about-why-title = Vim li cas nws thiaj tseem ceeb
about-why-body = Tsev loj cuj thiab kev foob tsis tau pab cov neeg uas rov qab mus ntau zaus tshaj, thiab cov neeg zej zog Dub, cov neeg hauv paus txawm (Indigenous) thiab cov neeg tsiv teb tsaws chaw yog cov raug kev cuam tshuam hnyav tshaj. LEAD xav txhim kho kev nyab xeeb thiab kev noj qab haus huv ntawm pej xeem ua ke, thiab kho tej kev tsis sib luag ntawd txij thaum ntsib thawj zaug.

## Who it is for
fits-title = LEAD yog rau leej twg
fits-lead = LEAD ua hauj lwm nrog cov neeg uas muaj tag nrho peb yam no:
fits-rule-place = Lawv nyob, los yog feem ntau siv sij hawm, ib ncig East Lake Street (Lake Street txij I-35W mus txog tus dej Mississippi).
fits-rule-age = Lawv muaj hnub nyoog 18 xyoo los yog laus dua.
fits-rule-need = Lawv tau muaj teeb meem nrog txoj cai, los yog muaj feem yuav muaj, vim siv yeeb tshuaj los yog cawv, mob ntawm lub hlwb los yog kev txom nyem heev.
fits-examples-title = Tej xwm txheej uas neeg feem ntau qhia peb
fits-example-1 = Muab khoom hauv khw mus tsis them nyiaj ntau zaus.
fits-example-2 = Siv yeeb tshuaj hauv chav dej ntawm ib lub lag luam.
fits-example-3 = Nyob ntev ntev ntawm chaw nres tsheb ciav hlau los yog chaw nres tsheb npav.
fits-unsure = Tsis paub meej tias puas haum? Xa tus neeg ntawd tuaj xwb. Peb cov neeg ua hauj lwm yuav txiav txim siab seb yuav pab li cas thiaj zoo, thiab txhua qho kev xa neeg tuaj puav leej muaj nqis.
check-title = Nug xyuas sai sai
check-intro = Peb lo lus nug los pab koj xav. Peb tsis khaws koj cov lus teb, thiab lawv yeej tsis thaiv koj xa ib tug neeg tuaj.
check-age = Tus neeg ntawd puas zoo li muaj 18 xyoo los yog laus dua?
check-place = Nws puas feem ntau nyob ib ncig East Lake Street?
check-need = Tej yam uas tshwm sim puas zoo li cuam tshuam nrog yeeb tshuaj, kev noj qab haus huv ntawm lub hlwb los yog tsis muaj txaus noj txaus siv?
check-yes = Yog
check-no = Tsis yog
check-unsure = Tsis paub meej
check-submit = Kuaj xyuas
check-result-title = Koj cov lus teb qhia li cas
check-result-fits = Qhov no zoo li yog hom xwm txheej uas LEAD pab. Thov xa tus neeg ntawd tuaj.
check-result-unsure = Tej zaum yuav haum. Thov xa tuaj thiab cia peb cov neeg ua hauj lwm txiav txim siab.
check-result-minor = LEAD ua hauj lwm nrog cov neeg hnub nyoog 18 xyoo rov saud. Koj tseem xa tuaj tau, thiab peb yuav qhia koj txog cov kev pab rau cov hluas.
check-result-elsewhere = LEAD tsuas pab East Lake Street xwb. Koj tseem xa tuaj tau, thiab peb yuav qhia koj txog leej twg pab tau nyob qhov chaw uas tus neeg ntawd nyob.
check-result-need = LEAD yog rau tej teeb meem uas los ntawm tej kev xav tau uas tsis tau muaj kev pab. Koj tseem xa tuaj tau, los yog nug peb ib lo lus nug.

## Governance
gov-title = LEAD Minneapolis khiav li cas
gov-lead = LEAD yog ib lub moj khaum uas ntau lub koom haum koom tes siv ua ke, tsis yog ib lub koom haum xwb. Muaj peb pab pawg pab coj kom nws mus raws txoj kev.
gov-pcg-title = Pab Pawg Sib Koom Tes Txog Txoj Cai (Policy Coordinating Group)
gov-pcg-body = Cov thawj coj uas muaj cai txiav txim siab rau lawv lub koom haum: cov koom haum muab kev pab, cov koom haum txoj cai lij choj thiab kev noj qab haus huv, thiab cov nom tswv raug xaiv tsa. Lawv teeb cov hom phiaj thiab txoj cai, xws li cov kev foob twg xa tau tuaj rau LEAD es tsis txhob mus tsev hais plaub, thiab saib xyuas nyiaj txiag, kev ntsuam xyuas thiab yav tom ntej ntawm qhov kev pab cuam.
gov-owg-title = Pab Pawg Ua Hauj Lwm (Operational Workgroup)
gov-owg-body = Cov neeg ua hauj lwm txhua hnub: cov neeg saib xyuas kev pab, tub ceev xwm, ib tug kws lij choj foob uas yog tus sib txuas lus, cov kws lij choj tiv thaiv thiab cov koom haum muab kev pab. Lawv sib ntsib li ob lub lis piam ib zaug los daws teeb meem, sib koom tes txog txhua tus neeg koom nrog, thiab sau cov txheej txheem ua hauj lwm raws li pab pawg txoj cai tau txiav txim siab.
gov-clt-title = Pab Pawg Thawj Coj Hauv Zej Zog (Community Leadership Team)
gov-clt-body = Cov neeg zej zog uas pab kom zej zog muaj lub suab tiag tiag txog kev npaj thiab kev khiav LEAD.
gov-pm-title = Tus thawj tswj txoj hauj lwm (project manager)
gov-pm-body = Sib koom tes peb pab pawg thiab tej hauj lwm txhua hnub, thiab saib kom qhov kev pab cuam ua raws li tus qauv LEAD. Pillsbury United Communities tuav kev tswj txoj hauj lwm thiab kev saib xyuas kev pab.

## Reach
reach-title = Sij hawm thiab yuav tiv tauj ib tug neeg ua hauj lwm li cas
reach-hours-title = Sij hawm ua hauj lwm
reach-hours-body = Hnub Ib txog hnub Tsib, 9 AM txog 4 PM, sij hawm Central. Kaw rau cov hnub so pej xeem.
reach-phone-title = Xov tooj thiab text
reach-phone-body = Hu los yog xa text rau { $phone }. Tsis muaj leej twg teb tam sim ntawd: tso lus cia, thiab cov neeg ua hauj lwm yuav mloog thaum lub sij hawm ua hauj lwm.
reach-promise-title = Thaum twg koj yuav tau lus teb
reach-promise-body = Peb sim teb txhua qho kev xa neeg thiab txhua lo lus nug hauv ib hnub ua hauj lwm. Lus uas tso cia hnub Tsib yav tsaus ntuj yuav tau teb ua ntej hnub Ib xaus.
reach-emergency-title = Xwm txheej ceev
reach-emergency-body = LEAD tsis yog cov neeg pab thawj zaug thaum muaj xwm txheej ceev. Yog muaj leej twg nyob hauv kev txaus ntshai tam sim no, hu 911.
reach-online-title = Hauv online
reach-online-body = Siv daim ntawv xa neeg los qhia peb txog ib tug neeg, los yog daim ntawv tiv tauj rau lwm yam.

## Privacy
privacy-title = Daim ntawv ceeb toom txog kev ceev ntiag tug
privacy-lead = Peb nug tsawg li tsawg tau, thiab peb tiv thaiv tej yam koj muab rau peb.
privacy-collect-title = Peb sau dab tsi
privacy-collect-body = Tej yam koj ntaus rau hauv peb cov ntawv, lub sij hawm koj xa, thiab hom lus koj siv. Peb khaws qhov chaw nyob hauv network (network address) ntawm txhua qhov xa tuaj tsuas yog ib ntus xwb, los tiv thaiv kev siv tsis raug.
privacy-use-title = Peb siv li cas
privacy-use-body = Cov neeg saib xyuas kev pab siv daim ntawv xa neeg los nrhiav tus neeg ntawd thiab muab kev pab, thiab los tiv tauj koj yog koj thov. Peb tsis muag cov ntaub ntawv, tsis tso kev tshaj tawm muag khoom, thiab tsis muab cov ntawv xa neeg rau tub ceev xwm.
privacy-who-title = Leej twg pom tau
privacy-who-body = Tsuas yog cov neeg ua hauj lwm LEAD uas xav tau rau lawv txoj hauj lwm xwb. Txhua zaus muaj leej twg qhib ib tug neeg cov ntaub ntawv, yuav muaj kev sau tseg.
privacy-tracking-title = Tsis muaj kev taug qab
privacy-tracking-body = Lub vev xaib no tsis rub dab tsi los ntawm lwm lub tuam txhab: tsis muaj analytics, tsis muaj kev tshaj tawm muag khoom, tsis muaj cov ntawv (fonts) los sab nraud. Tsuas yog cov cookies uas nws teeb yog los nco koj hom lus thiab tiv thaiv cov ntawv kom tsis txhob raug siv tsis raug.
privacy-rights-title = Koj tej kev xaiv
privacy-rights-body = Koj xa tau ib tug neeg tuaj yam tsis tas qhia koj lub npe. Yog xav nug tias peb muaj dab tsi txog koj, los yog xav kho kom raug, siv daim ntawv tiv tauj los yog hu { $phone }.

## Referral form
refer-title = Xa ib tug neeg tuaj
refer-lead = Qhia peb txog ib tug neeg nyob East Lake Street uas LEAD yuav pab tau. Koj tsis tas yuav paub nws lub npe: nws zoo li cas thiab koj pom nws qhov twg feem ntau twb txaus lawm.
refer-emergency = Yog muaj leej twg nyob hauv kev txaus ntshai tam sim no, hu 911 hloov.
refer-required-note = Tsuas muaj ob yam uas yuav tsum sau xwb: ib yam dab tsi uas piav txog tus neeg ntawd, thiab qhov chaw uas yuav nrhiav tau nws. Txhua yam ntxiv pab tau, tab sis tsis yuav tsum.
required = yuav tsum sau
optional = tsis yuav tsum
refer-you-title = Txog koj
refer-you-type = Koj yog leej twg?
referrer-resident = Ib tug neeg nyob hauv cheeb tsam no
referrer-business = Ib tug tswv lag luam los yog neeg ua hauj lwm hauv lag luam
referrer-visitor = Ib tug neeg tuaj xyuas
referrer-provider = Ib tug neeg muab kev pab (service provider)
referrer-other = Lwm tus neeg
refer-you-name = Koj lub npe
refer-you-phone = Koj tus xov tooj
refer-you-email = Koj tus email
refer-you-followup = Ib tug neeg saib xyuas kev pab puas tiv tauj tau koj yog muaj lus nug?
refer-you-followup-yes = Yog, thov tiv tauj kuv
refer-you-followup-no = Tsis yog, tsis txhob tiv tauj kuv
refer-you-contact-hint = Yog koj xav kom peb tiv tauj koj, muab ib tus xov tooj los yog email.
refer-person-title = Txog tus neeg ntawd
refer-person-describe = Muab lub npe los yog lub npe luv, los yog tsawg kawg ib yam uas qhia tias tus neeg ntawd zoo li cas.
refer-person-name = Lub npe los yog lub npe luv (nickname), yog koj paub
refer-person-age = Hnub nyoog kwv yees
age-unknown = Kuv tsis paub
age-under-18 = Qis dua 18
age-18-25 = 18 txog 25
age-26-35 = 26 txog 35
age-36-50 = 36 txog 50
age-51-65 = 51 txog 65
age-over-65 = Tshaj 65
refer-person-gender = Poj niam, txiv neej los yog lwm yam, raws li koj piav
refer-person-build = Qhov siab thiab lub cev
refer-person-hair = Plaub hau
refer-person-features = Khaub ncaws thiab txhua yam txawv uas pom tau
refer-person-features-hint = Piv txwv: lub hnab ev liab, tus pas nrig, tattoo ntawm txhais tes, feem ntau nrog lub tsheb kauj vab.
refer-where-title = Koj pom nws qhov twg thiab thaum twg
refer-places = Qhov chaw
refer-places-hint = Xaiv txhua qhov uas haum, los yog piav qhov chaw ntawd rau hauv lub npov hauv qab no.
refer-places-other = Lwm qhov chaw
refer-times = Lub sij hawm hauv ib hnub
time-morning = Sawv ntxov
time-midday = Tav su
time-afternoon = Tav su lig
time-evening = Yav tsaus ntuj
time-night = Hmo ntuj
refer-times-other = Hnub thiab sij hawm, siv koj cov lus
refer-concern-title = Muaj dab tsi tshwm sim
refer-concern-kinds = Koj pom dab tsi?
concern-shoplifting = Muab khoom hauv khw mus tsis them nyiaj
concern-bathroom = Siv yeeb tshuaj hauv chav dej
concern-transit = Nyob ntev ntev ntawm chaw nres tsheb
concern-other = Lwm yam
refer-concern-text = Qhia peb ntxiv
refer-safety = Puas muaj dab tsi uas peb cov neeg ua hauj lwm tawm mus ntsib neeg yuav tsum paub kom lawv nyab xeeb?
refer-submit = Xa daim ntawv
refer-privacy-note = Peb siv qhov no los muab kev pab xwb. Nyeem daim ntawv ceeb toom txog kev ceev ntiag tug.

## Referral confirmation
refer-done-title = Ua tsaug, peb tau txais koj daim ntawv xa neeg lawm
refer-done-code = Koj tus lej cim (reference code)
refer-done-code-hint = Hais tus lej no yog koj hu los yog sau ntawv tuaj rau peb txog qhov kev xa neeg no.
refer-done-next-title = Yuav ua li cas tom ntej
refer-done-followup = Ib tug neeg saib xyuas kev pab yuav tiv tauj koj, lig tshaj plaws yog { $due }.
refer-done-no-followup = Koj tau thov kom peb tsis txhob tiv tauj koj. Tab sis ib tug neeg saib xyuas kev pab tseem yuav nyeem koj daim ntawv xa neeg, lig tshaj plaws yog { $due }.
refer-done-outreach = Peb cov neeg ua hauj lwm tawm mus ntsib neeg yuav mus nrhiav tus neeg ntawd thiab muab kev pab rau nws. Nws yeej yog tus txiav txim siab seb puas kam txais.
refer-done-another = Xa dua ib tug neeg ntxiv

## Contact form
contact-title = Tiv tauj peb
contact-lead = Lus nug txog LEAD, koj tej kev xav, los yog txhua yam uas tsis yog kev xa neeg. Peb teb hauv ib hnub ua hauj lwm.
contact-name = Koj lub npe
contact-reach = Xov tooj los yog email
contact-reach-hint = Kom peb teb tau koj.
contact-message = Koj cov lus
contact-language = Hom lus koj xav kom peb teb koj
contact-language-other = Lwm hom lus
contact-submit = Xa cov lus
contact-done-title = Ua tsaug, peb tau txais koj cov lus lawm
contact-done-body = Peb yuav teb koj, lig tshaj plaws yog { $due }.
contact-done-code = Koj tus lej cim (reference code)

## Dates (used as "by { $due }")
date-time = { $weekday }, { $month } tim { $day }, thaum { $time }
time-am = { $hour }:{ $minute } AM
time-pm = { $hour }:{ $minute } PM
weekday-1 = Hnub Ib
weekday-2 = Hnub Ob
weekday-3 = Hnub Peb
weekday-4 = Hnub Plaub
weekday-5 = Hnub Tsib
weekday-6 = Hnub Rau
weekday-7 = Hnub Xya
month-1 = Lub Ib Hlis
month-2 = Lub Ob Hlis
month-3 = Lub Peb Hlis
month-4 = Lub Plaub Hlis
month-5 = Lub Tsib Hlis
month-6 = Lub Rau Hli
month-7 = Lub Xya Hli
month-8 = Lub Yim Hli
month-9 = Lub Cuaj Hli
month-10 = Lub Kaum Hli
month-11 = Lub Kaum Ib Hlis
month-12 = Lub Kaum Ob Hlis

## Form messages
form-has-errors = Thov kuaj xyuas cov chaw uas muaj cim hauv qab no. Txhua yam koj ntaus tseem nyob ntawm no.
error-required = Thov sau qhov no.
error-too-long = Thov txiav kom luv rau { $max } tus ntawv los yog tsawg dua.
error-choice = Thov xaiv ib qho ntawm cov kev xaiv.
error-phone = Thov sau ib tus xov tooj Asmeskas uas muaj tus lej cheeb tsam (area code), xws li 612-555-0123.
error-email = Thov sau ib qho email xws li npe@example.org.
error-reach = Thov muab ib tus xov tooj los yog ib qho email.
error-followup-contact = Yog xav kom peb tiv tauj koj, thov muab ib tus xov tooj los yog email, los yog xaiv "Tsis yog, tsis txhob tiv tauj kuv".
error-person = Thov muab lub npe, lub npe luv, los yog piav me ntsis txog tus neeg ntawd.
error-where = Thov xaiv ib qho chaw los yog piav qhov chaw koj pom tus neeg ntawd.
honeypot-label = Tso qhov no khoob cia
error-honeypot = Thov xa daim ntawv dua.
error-too-fast = Qhov ntawd sai heev. Thov kuaj xyuas daim ntawv thiab xa dua.
error-expired = Nplooj ntawv no qhib ntev heev lawm. Thov kuaj xyuas daim ntawv thiab xa dua.
error-csrf = Peb tsis paub tseeb tias daim ntawv no los ntawm peb lub vev xaib. Thov xa dua.
error-save-failed = Peb khaws tsis tau koj daim ntawv tam sim no. Txhua yam koj ntaus tseem nyob ntawm no: thov xa dua hauv ib feeb, los yog hu { $phone }.
error-rate-limited = Muaj ntau daim ntawv xa los ntawm koj qhov kev sib txuas dhau lawm. Thov tos { $minutes } feeb thiab sim dua, los yog hu { $phone }.

## Error pages
error-title-prefix = Teeb meem
error-not-found-title = Nrhiav tsis tau nplooj ntawv
error-not-found-body = Peb nrhiav tsis tau nplooj ntawv ntawd.
error-too-large-title = Ntawv ntau dhau
error-too-large-body = Tej yam koj xa tuaj loj dhau rau peb txais. Thov txiav kom luv thiab sim dua.
error-bad-request-title = Qhov kev thov ntawd muaj teeb meem
error-bad-request-body = Thov rov qab mus thiab sim dua.
error-unauthorized-title = Thov nkag mus
error-unauthorized-body = Koj tsis tau nkag, los sis koj lub sijhawm twb xaus lawm. Thov nkag dua kom mus ntxiv.
error-forbidden-title = Tsis pub
error-forbidden-body = Koj txoj hauj lwm tsis pub ua qhov no. Yog koj txoj hauj lwm xav tau, thov nug koj tus thawj tswj haujlwm.
error-internal-title = Muaj teeb meem ntawm peb sab
error-internal-body = Tsis yog koj ua rau muaj qhov no. Thov sim dua hauv ob peb feeb, los yog hu { $phone }.
error-back-home = Rov qab mus rau nplooj tsev

# Referral status and the acknowledgement email (issue 4)
refer-status-label = Nws mus txog qhov twg lawm
refer-status-received = Tau txais lawm. Tseem tsis tau muaj leej twg tuav.
refer-status-being-worked = Ib tug neeg saib xyuas kev pab tab tom ua hauj lwm rau nws.
refer-status-closed = Kaw lawm. Ua tsaug uas koj qhia peb.
email-ack-subject = Koj txoj kev xa neeg { $code } rau LEAD
email-ack-body =
    Ua tsaug rau koj txoj kev xa neeg. Ib tug neeg saib xyuas kev pab twb nyeem lawm thiab tab tom ua hauj lwm rau nws.
    Koj tus lej siv yog { $code }. Txhawm rau tiv thaiv tus neeg uas koj qhia peb, peb tsis qhia tias yuav muaj dab tsi tshwm sim tom ntej, tab sis koj saib tau tias kev xa neeg tau txais lawm, tab tom ua, los yog kaw lawm ntawm no: { $link }
    LEAD tsis yog kev pab xwm txheej ceev. Yog muaj xwm txheej ceev, hu 911.

# Printed consent form (issue 6): release of information under 42 CFR 2.31, written in the first person.
# Draft (machine-assisted, 2026-12-02) for community review; must also be checked against the English
# by someone who knows 42 CFR Part 2 consent requirements. $site is the program's name.
consent-form-title = Kev tso cai qhia cov ntaub ntawv txog kuv
consent-form-intro = Daim ntawv no tso cai rau { $site } qhia qee cov ntaub ntawv txog koj rau ib lub koom haum xwb, rau ib lub hom phiaj xwb. Koj yog tus txiav txim siab. Yog koj hais tias tsis kam, tej kev pab uas koj tau txais ntawm peb yeej tsis hloov.
consent-form-name = Kuv lub npe
consent-form-discloser = Leej twg qhia tau cov ntaub ntawv
consent-form-recipient = Leej twg txais tau (ib lub koom haum xwb)
consent-form-covers = Yam twg qhia tau (tsuas yog cov uas kos cim lawm xwb)
consent-form-cover-participation = Tias kuv koom nrog { $site }, thiab kuv pib koom txij thaum twg
consent-form-cover-case-manager = Leej twg yog kuv tus neeg saib xyuas kev pab (case manager), thiab yuav tiv tauj nws li cas
consent-form-cover-progress = Kuv nrog kuv tus neeg saib xyuas kev pab sib tiv tauj ntau zaus npaum li cas, thiab zaum kawg yog thaum twg
consent-form-cover-barriers = Cov lus sau dav dav txog tej yam uas tab tom pab kuv thiab tej yam uas tab tom thaiv kuv
consent-form-never = Daim ntawv no tsis pub qhia ib yam dab tsi txog kuv txoj kev noj qab haus huv, kuv txoj kev noj qab haus huv ntawm lub hlwb, los yog kuv txoj kev haus cawv los yog siv yeeb tshuaj.
consent-form-purpose = Vim li cas thiaj qhia tau
consent-form-expires = Kev tso cai no xaus rau hnub tim uas sau ntawm no, tshwj tsis yog kuv thim nws rov qab ua ntej ntawd
consent-form-revoke = Kuv thim tau kev tso cai no rov qab txhua lub sij hawm, los ntawm kev qhia rau kuv tus neeg saib xyuas kev pab los yog leej twg ntawm { $site }, ntsib tim ntsej tim muag, hu xov tooj los yog sau ntawv. Thaum kuv thim rov qab lawm, yuav tsis qhia dab tsi ntxiv txij thaum ntawd mus. Tab sis thim rov qab los rho tsis tau tej yam uas twb qhia mus lawm.
consent-form-no-condition = Kuv tsis tas yuav kos npe rau daim ntawv no. { $site } tseem yuav nrog kuv ua hauj lwm, txawm kuv kos npe los tsis kos npe.
consent-form-redisclosure = Thaum twb qhia cov ntaub ntawv lawm, lub koom haum uas txais tej zaum yuav muab qhia dua rau lwm tus, thiab tej kev cai ceev ntiag tug uas tiv thaiv cov ntaub ntawv ntawm no tej zaum yuav tsis tiv thaiv nws nyob qhov ntawd.
consent-form-signature = Kuv kos npe
consent-form-date = Hnub tim kuv kos npe
consent-form-staff = Tus neeg ua hauj lwm uas nrog kuv nyeem daim ntawv no
consent-form-copy = Kuv khaws tau ib daim qauv ntawm daim ntawv no.

## Data & Results (/data)
nav-data = Cov lej thiab txiaj ntsig
data-title = Cov lej thiab txiaj ntsig (Data & Results)
data-lead = Tej yam uas LEAD tau ua txij thaum nws pib hnub { $start }, suav tib txoj kev txhua zaus. Peb tsis qhia cov lej me me, kom tsis muaj leej twg yuav paub tau tias cov lej ntawd yog leej twg.
data-as-of = Txog hnub { $date }
data-period = Suav txij hnub { $start } mus txog thaum xaus hnub { $date }.
data-counter-enrolled = Cov neeg tau sau npe koom nrog
data-counter-contacts = Cov zaus tiv tauj cov neeg koom nrog
data-counter-referrals = Cov kev xa neeg tau txais
data-as-of-label = Saib cov lej txog lwm hnub
data-as-of-hint = Ib hnub txij { $start } mus txog hnub no, sau li YYYY-MM-DD (xyoo-hli-hnub).
data-as-of-button = Saib
data-error-malformed = Sau hnub tim li YYYY-MM-DD, piv txwv 2024-03-25.
data-error-before-start = Qhov kev pab cuam pib hnub { $start }. Xaiv hnub ntawd los yog ib hnub tom qab.
data-error-future = Cov lej tsuas paub txog hnub no xwb, { $today }.
data-fewer = tsawg dua 11
data-hidden = tsis qhia
data-suppression-note = "Tsawg dua 11" txhais tias muaj 1 txog 10 tus neeg. "Tsis qhia" yog cim rau ib tus lej uas muab tshem tawm, kom tsis muaj leej twg xam tau ib tus lej me me nyob ib sab los ntawm kev rho lej. Kev tiv tauj yog tej zaus tshwm sim, tsis yog neeg, yog li ntawd yeej qhia tas li.
data-chart-note = Daim duab kab (bar chart). Cov lej zoo ib yam nyob hauv daim ntawv teev lej hauv qab no.
data-chart-suppressed = Cov kab uas kos ua kab txiav (dashed) yog cov hli uas muaj tsawg dua 11, los yog tsis qhia.
data-empty = Tseem tsis tau muaj dab tsi sau tseg rau lub sij hawm no.
data-referrals-title = Kev xa neeg txhua lub hli
data-referrals-by-door = Kev xa neeg raws li txoj kev xa tuaj
data-contacts-title = Kev tiv tauj cov neeg koom nrog txhua lub hli
data-enrolments-title = Kev sau npe koom nrog txhua lub hli
data-sources-title = Leej twg hauv zej zog tau xa neeg tuaj
data-wait-title = Lub sij hawm txij thaum xa tuaj mus txog thaum ntsib thawj zaug
data-wait-lead = Rau txhua qhov kev xa neeg uas ua rau tus neeg sau npe koom nrog: pes tsawg hnub txij thaum xa tuaj mus txog thawj zaug uas ib tug neeg saib xyuas kev pab ntsib tus neeg ntawd.
data-wait-median = Ib nrab ntawm cov neeg no tau ntsib hauv { $days } hnub tom qab lawv raug xa tuaj.
data-wait-few = Tseem muaj tsawg tus neeg tau ntsib lawm, yog li tseem qhia tsis tau seb feem ntau yuav tos ntev npaum li cas.
data-equity-title = Haiv neeg thiab keeb kwm (race and ethnicity)
data-equity-lead = LEAD xav kho tej kev tsis sib luag ntawm haiv neeg txij ntawm lub qhov rooj nkag mus rau hauv txoj kev cai lij choj. Thaum sau npe koom nrog, txhua tus neeg piav nws tus kheej haiv neeg thiab keeb kwm; txhua tus neeg raug suav rau hauv ib pawg xwb, ib yam li kev suav pej xeem (census) ua.
data-equity-population = Cov pej xeem hauv { $area }
data-equity-source = Qhov chaw muab cov lej pej xeem: { $source }.
data-equity-draft = Cov lej pej xeem no tseem yog daim qauv (draft) thiab tseem tsis tau muab piv nrog qhov chaw uas lawv los.
data-equity-no-population = Tseem tsis tau muab cov lej pej xeem sau rau qhov chaw no.
data-equity-housed = Muaj chaw nyob raws li qhov xwm txheej zaum kawg
data-equity-housed-note = Muaj chaw nyob: ntawm cov neeg koom nrog uas paub lawv qhov xwm txheej hli kawg, muaj pes tsawg tus nyob hauv chaw nyob ruaj khov (permanent housing). Tsuas qhia thaum ob pawg, cov muaj chaw nyob thiab cov tsis muaj chaw nyob, puav leej muaj 11 tus los yog ntau dua.
data-not-counted = qhov chaw muab lej tsis tau suav
data-col-month = Hli
data-col-door = Txoj kev xa tuaj
data-col-source = Leej twg xa
data-col-wait = Sij hawm
data-col-group = Pawg
data-col-count = Tus lej
data-col-total = Tag nrho
data-col-referrals = Kev xa neeg
data-col-enrolled = Tau sau npe
data-download = Rub daim ntawv teev lej no (CSV)
data-json = Tag nrho cov lej no ua JSON
data-definitions = Txhua tus lej suav li cas
data-definitions-version = Cov lus txhais tsab { $version }.
data-print = Yog xav luam tawm, siv koj lub browser qhov kev luam ntawv (print): nplooj ntawv yuav luam tawm tsis muaj cov ntawv qhia (menu).
door-community = Zej zog
door-social_contact = Tub ceev xwm, kev sib ntsib (social contact)
door-arrest_diversion = Tub ceev xwm, xa tuaj es tsis ntes (arrest diversion)
door-self = Xa nws tus kheej tuaj
door-provider = Lub koom haum muab kev pab
source-resident = Cov neeg nyob hauv cheeb tsam
source-business = Cov lag luam
source-visitor = Cov neeg tuaj xyuas
source-community_provider = Cov koom haum muab kev pab
source-other_community = Lwm tus
wait-0_1 = Tib hnub los yog hnub tom qab
wait-2_7 = 2 txog 7 hnub
wait-8_14 = 8 txog 14 hnub
wait-15_30 = 15 txog 30 hnub
wait-over_30 = Ntau tshaj 30 hnub
group-hispanic_latinaeo = Hispanic/Latina/e/o
group-am_ind_ak_native = Neeg Qhab Asmeskas (American Indian), neeg hauv paus txawm Alaska (Alaska Native), los yog neeg hauv paus txawm (Indigenous)
group-asian = Neeg Esxias los yog Neeg Esxias Asmeskas
group-black_af_american = Neeg Dub, Neeg Asmeskas Dub (African American), los yog Neeg Aflikas
group-mid_east_n_african = Neeg Middle East los yog Neeg Aflikas Sab Qaum Teb
group-native_hi_pacific = Neeg hauv paus txawm Hawaii los yog neeg cov kob Pacific (Pacific Islander)
group-white = Neeg Dawb
group-more_than_one = Ntau tshaj ib haiv neeg
group-not_known = Tsis paub
data-published-title = Cov lej uas tau tshaj tawm txhua peb lub hlis
data-published-lead = Txhua peb lub hlis (quarter), qhov kev pab cuam tshaj tawm nws cov lej raws li muaj nyob rau hnub kawg ntawm peb lub hlis ntawd. Cov lej uas tau tshaj tawm lawm yuav khaws cia raws nraim li qub, txawm tias tom qab no muaj kev kho cov ntaub ntawv los xij.
data-published-none = Tseem tsis tau tshaj tawm cov lej rau ib peb lub hlis twg li.
data-published-col-quarter = Peb lub hlis
data-published-col-on = Hnub tshaj tawm
data-published-frozen = No yog cov lej rau { $quarter }, raws li tau tshaj tawm hnub { $date } thiab suav raws li cov lus txhais tsab { $version }. Cov lej no yeej tsis hloov. Cov lej tam sim no nyob ntawm nplooj ntawv Cov lej thiab txiaj ntsig.
data-published-live = Saib cov lej tam sim no

## Community feedback on referrals (/feedback)
feedback-title = Koj txoj kev xa neeg mus li cas?
feedback-lead = Yog koj tau xa ib tug neeg tuaj rau LEAD, thov qhia peb tias kev xa neeg ntawd mus li cas. Pab Pawg Thawj Coj Hauv Zej Zog (Community Leadership Team), uas yog cov neeg zej zog uas pab coj LEAD, mloog tej lus uas neeg qhia ntawm no.
feedback-privacy = Thov tsis txhob sau ib tug neeg twg lub npe, los yog tej yam uas yuav qhia tau tias tus neeg ntawd yog leej twg. Peb kuj tsis nug koj lub npe. Tus thawj tswj txoj hauj lwm (project manager) nyeem txhua cov lus ua ntej. Nws tshem tej ntsiab lus uas yuav qhia tau tias yog leej twg tawm, mam li muab rau pab pawg.
feedback-code = Koj tus lej cim (reference code), yog koj muaj
feedback-code-hint = Nws nyob ntawm nplooj ntawv uas koj pom tom qab koj xa daim ntawv xa neeg, piv txwv K7QM-4Z2P. Siv tus lej no, tus thawj tswj txoj hauj lwm thiaj paub tau tias koj hais txog txoj kev xa neeg twg. Yog koj tsis xav qhia, tso qhov no khoob cia.
feedback-respondent-unsaid = Kuv tsis xav qhia
feedback-answered = Puas muaj ib tug neeg ntawm LEAD tiv tauj koj lawm?
feedback-answered-in_time = Muaj, hauv ib hnub ua hauj lwm
feedback-answered-later = Muaj, tab sis lig dua ntawd
feedback-answered-not_yet = Tsis muaj, tseem tsis tau
feedback-answered-not_asked = Kuv tau thov kom tsis txhob tiv tauj kuv
feedback-rating = LEAD tau ua hauj lwm rau koj txoj kev xa neeg zoo npaum li cas?
feedback-rating-very_well = Zoo heev
feedback-rating-well = Zoo
feedback-rating-not_well = Tsis tshua zoo
feedback-rating-poorly = Tsis zoo kiag li
feedback-comment = Tej yam koj xav kom pab pawg paub
feedback-comment-hint = Tsis yuav tsum: yam twg mus zoo, thiab yam twg yuav kho kom zoo dua tau.
feedback-answer-note = Peb teb tsis tau cov lus tawm tswv yim. Yog koj xav tau lus teb, siv daim ntawv tiv tauj.
feedback-submit = Xa cov lus tawm tswv yim
feedback-done-title = Ua tsaug rau koj cov lus tawm tswv yim
feedback-done-body = Peb tau txais lawm. Txhua lub hli, Pab Pawg Thawj Coj Hauv Zej Zog saib cov lej qhia tias cov kev xa neeg mus li cas, thiab nyeem cov lus uas tus thawj tswj txoj hauj lwm tau muab rau lawv.
refer-done-feedback = Tom qab no, qhia peb tias koj txoj kev xa neeg mus li cas
gov-clt-feedback = Qhia peb tias koj txoj kev xa neeg mus li cas
error-unknown-code = Peb tsis muaj kev xa neeg twg uas siv tus lej no. Kuaj xyuas tus lej, los yog tso qhov no khoob cia.
