# leadhub public site: English (source text).
# Every key here must exist in es, so and hmn (a test fails otherwise).
# Placeables: $site (site name), $phone, $area, $code, $due, $max, $minutes; on /data also
# $start, $date, $today (YYYY-MM-DD days), $days, $source, $version, $quarter.

## Language names, always written in their own language
lang-en = English
lang-es = Español
lang-so = Soomaali
lang-hmn = Hmoob
language-switch = Language

## Frame
skip-to-content = Skip to main content
site-tagline = Care and coordination instead of jail
nav-home = Home
nav-about = What LEAD is
nav-fits = Who it is for
nav-refer = Make a referral
nav-contact = Contact us
nav-reach = Hours and phone
nav-governance = How we are run
nav-privacy = Privacy
nav-menu = Menu
emergency-banner = In an emergency, call 911. LEAD is not an emergency service.
footer-about = LEAD Minneapolis serves the East Lake Street corridor.
footer-hours = Staff read messages Monday to Friday, 9 AM to 4 PM (Central time).
demo-banner = Demonstration site: everything here is invented.

## Home
home-title = Help for neighbors, not handcuffs
home-lead = LEAD connects people on East Lake Street whose struggles with drugs, mental health or poverty keep pulling them into trouble with the law to a case manager who sticks with them for as long as they want help.
home-refer-button = Refer someone
home-contact-button = Ask a question
home-card-what-title = What LEAD does
home-card-what-body = Case managers meet people where they are, on the street, and work with them on housing, health, income and whatever else they choose. There are no sanctions and nobody fails out.
home-card-who-title = Who can be referred
home-card-who-body = Adults who live in or spend time around East Lake Street and whose problems with the law come from unmet needs. Not sure? Refer them anyway and we will work it out.
home-card-reach-title = Reaching a person
home-card-reach-body = Call or text { $phone }. It is a voicemail line we check on weekdays, and we aim to answer within one business day.
home-steps-title = What happens after you refer someone
home-step-1 = You tell us what you know: a name if you have one, or just what the person looks like and where you see them.
home-step-2 = A case manager reads it within one business day and, if you asked, gets back to you with questions.
home-step-3 = Outreach workers look for the person and offer help. Saying yes is always their choice.

## About
about-title = What LEAD is, and what it is not
about-lead = LEAD stands for Let Everyone Advance with Dignity. It began in Seattle in 2011 and is now used in more than 80 communities. In Minneapolis it started in 2022 on the East Lake Street corridor, hosted by Pillsbury United Communities.
about-is-title = LEAD is
about-is-1 = Long-term case management on the street, for as long as a person wants it.
about-is-2 = Harm reduction: meeting people where they are, without requiring them to stop using first.
about-is-3 = A way for police, prosecutors, defenders, health services and neighbors to work together instead of against each other.
about-is-4 = A response to unmet needs behind low-level offenses such as shoplifting, drug use in public bathrooms or hanging around transit stations.
about-not-title = LEAD is not
about-not-1 = An emergency service. If someone is in danger now, call 911.
about-not-2 = A court program. There are no sanctions, no judge and no requirement to have been arrested.
about-not-3 = A program you can fail. Nobody is dropped for using, for missing appointments or for taking time away.
about-not-4 = A way to report crime. What participants tell their case manager reaches police or prosecutors only as far as the participant agrees in writing.
about-why-title = Why it matters
about-why-body = Jail and prosecution have not helped the people who cycle through them most often, and they have fallen hardest on Black, Indigenous and immigrant neighbors. LEAD aims to improve public safety and public health together and to undo those disparities at the very first contact.

## Who it is for
fits-title = Who LEAD is for
fits-lead = LEAD works with people who meet all three of these:
fits-rule-place = They live in, or often spend time around, the East Lake Street corridor (Lake Street from I-35W to the Mississippi River).
fits-rule-age = They are 18 or older.
fits-rule-need = They have been in trouble with the law, or are at risk of it, because of substance use, mental illness or extreme poverty.
fits-examples-title = Situations people often tell us about
fits-example-1 = Taking things from stores again and again.
fits-example-2 = Using drugs in a business's bathroom.
fits-example-3 = Spending long hours at a transit station or bus stop.
fits-unsure = Not sure whether it fits? Refer the person anyway. Our staff decide on the right response, and no referral is wasted.
check-title = Quick self-check
check-intro = Three questions to help you think it through. Your answers are not saved and never stop you from making a referral.
check-age = Does the person seem to be 18 or older?
check-place = Are they often around East Lake Street?
check-need = Does what is happening seem tied to drugs, mental health or not having enough to live on?
check-yes = Yes
check-no = No
check-unsure = Not sure
check-submit = Check
check-result-title = What your answers suggest
check-result-fits = This sounds like the kind of situation LEAD is for. Please make a referral.
check-result-unsure = It may fit. Please make a referral and let our staff decide.
check-result-minor = LEAD works with adults. You can still send a referral, and we will point you to services for young people.
check-result-elsewhere = LEAD covers East Lake Street only. You can still send a referral, and we will suggest who can help where the person is.
check-result-need = LEAD is for problems that come from unmet needs. You can still send a referral or ask us a question.

## Governance
gov-title = How LEAD Minneapolis is run
gov-lead = LEAD is a framework shared by many partners, not a single agency. Three groups keep it on course.
gov-pcg-title = Policy Coordinating Group
gov-pcg-body = Leaders who can decide for their organizations: service providers, legal-system and health agencies and elected officials. They set goals and policy, such as which charges can be diverted, and look after funding, evaluation and the program's future.
gov-owg-title = Operational Workgroup
gov-owg-body = The people doing the daily work: case managers, police, a liaison prosecutor, defenders and providers. They meet about every two weeks to solve problems, coordinate around individual participants and write protocols that follow the policy group's decisions.
gov-clt-title = Community Leadership Team
gov-clt-body = Neighbors who give the community a real say in how LEAD is planned and run.
gov-pm-title = Project manager
gov-pm-body = Coordinates the three groups and the day-to-day work, and keeps the program true to the LEAD model. Pillsbury United Communities hosts project management and case management.

## Reach
reach-title = Hours and how to reach a person
reach-hours-title = Hours
reach-hours-body = Monday to Friday, 9 AM to 4 PM, Central time. Closed on public holidays.
reach-phone-title = Phone and text
reach-phone-body = Call or text { $phone }. Nobody answers live: leave a message and staff will listen to it during open hours.
reach-promise-title = When you will hear back
reach-promise-body = We aim to answer every referral and question within one business day. A message left on Friday evening is answered by the end of Monday.
reach-emergency-title = Emergencies
reach-emergency-body = LEAD is not a first responder. If anyone is in danger right now, call 911.
reach-online-title = Online
reach-online-body = Use the referral form to tell us about a person, or the contact form for anything else.

## Privacy
privacy-title = Privacy notice
privacy-lead = We ask for as little as we can, and we protect what you give us.
privacy-collect-title = What we collect
privacy-collect-body = What you type into our forms, the time you sent it and the language you used. We keep the network address of each submission for a short time only to stop abuse.
privacy-use-title = How we use it
privacy-use-body = Case managers use a referral to find the person and offer help, and to contact you if you asked us to. We do not sell data or show ads, and we do not hand referrals to the police.
privacy-who-title = Who can see it
privacy-who-body = Only LEAD staff whose work needs it. Every time someone opens a person's record, it is logged.
privacy-tracking-title = No tracking
privacy-tracking-body = This site loads nothing from other companies: no analytics, no advertising, no outside fonts. The only cookies it sets remember your language and protect the forms against misuse.
privacy-rights-title = Your choices
privacy-rights-body = You can refer someone without giving your own name. To ask what we hold about you, or to have it corrected, use the contact form or call { $phone }.

## Referral form
refer-title = Make a referral
refer-lead = Tell us about someone on East Lake Street who might be helped by LEAD. You do not need their name: what they look like and where you see them is often enough.
refer-emergency = If someone is in danger right now, call 911 instead.
refer-required-note = Only two things are required: something that describes the person, and where to look for them. Everything else helps but is optional.
required = required
optional = optional
refer-you-title = About you
refer-you-type = Who are you?
referrer-resident = Someone who lives in the area
referrer-business = A business owner or worker
referrer-visitor = A visitor
referrer-provider = A service provider
referrer-other = Someone else
refer-you-name = Your name
refer-you-phone = Your phone
refer-you-email = Your email
refer-you-followup = May a case manager contact you with questions?
refer-you-followup-yes = Yes, please contact me
refer-you-followup-no = No, do not contact me
refer-you-contact-hint = If you would like us to contact you, give a phone number or an email address.
refer-person-title = About the person
refer-person-describe = Give a name or nickname, or at least one detail of how the person looks.
refer-person-name = Name or nickname, if you know it
refer-person-age = Approximate age
age-unknown = I do not know
age-under-18 = Under 18
age-18-25 = 18 to 25
age-26-35 = 26 to 35
age-36-50 = 36 to 50
age-51-65 = 51 to 65
age-over-65 = Over 65
refer-person-gender = Gender, as you would describe it
refer-person-build = Height and build
refer-person-hair = Hair
refer-person-features = Clothing and anything distinctive
refer-person-features-hint = For example: a red backpack, a cane, a tattoo on the hand, often with a bicycle.
refer-where-title = Where and when you see them
refer-places = Places
refer-places-hint = Choose any that apply, or describe the place in the box below.
refer-places-other = Other places
refer-times = Times of day
time-morning = Morning
time-midday = Midday
time-afternoon = Afternoon
time-evening = Evening
time-night = Night
refer-times-other = Days and times, in your words
refer-concern-title = What is happening
refer-concern-kinds = What have you seen?
concern-shoplifting = Taking things from stores
concern-bathroom = Drug use in a bathroom
concern-transit = Spending long hours at transit stops or stations
concern-other = Something else
refer-concern-text = Tell us more
refer-safety = Anything outreach workers should know to stay safe?
refer-submit = Send referral
refer-privacy-note = We use this only to offer help. Read the privacy notice.

## Referral confirmation
refer-done-title = Thank you, your referral has been received
refer-done-code = Your reference code
refer-done-code-hint = Mention this code if you call or write to us about this referral.
refer-done-next-title = What happens next
refer-done-followup = A case manager will contact you by { $due }.
refer-done-no-followup = You asked us not to contact you. A case manager will still read your referral by { $due }.
refer-done-outreach = Outreach workers will look for the person and offer help. Whether to accept it is always their choice.
refer-done-another = Make another referral

## Contact form
contact-title = Contact us
contact-lead = Questions about LEAD, feedback, or anything that is not a referral. We answer within one business day.
contact-name = Your name
contact-reach = Phone or email
contact-reach-hint = So that we can answer you.
contact-message = Your message
contact-language = Language you would like us to answer in
contact-language-other = Another language
contact-submit = Send message
contact-done-title = Thank you, your message has been received
contact-done-body = We will answer you by { $due }.
contact-done-code = Your reference code

## Dates (used as "by { $due }")
date-time = { $weekday }, { $month } { $day } at { $time }
time-am = { $hour }:{ $minute } AM
time-pm = { $hour }:{ $minute } PM
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Form messages
form-has-errors = Please check the fields marked below. Everything you typed is still here.
error-required = Please fill this in.
error-too-long = Please shorten this to { $max } characters or fewer.
error-choice = Please choose one of the options.
error-phone = Please enter a US phone number with area code, such as 612-555-0123.
error-email = Please enter an email address such as name@example.org.
error-reach = Please give a phone number or an email address.
error-followup-contact = To be contacted, please give a phone number or an email address, or choose "do not contact me".
error-person = Please give a name, a nickname or a short description of the person.
error-where = Please choose a place or describe where you see the person.
honeypot-label = Leave this field empty
error-honeypot = Please send the form again.
error-too-fast = That was very quick. Please check the form and send it again.
error-expired = This page was open for a long time. Please check the form and send it again.
error-csrf = We could not confirm that this form came from our site. Please send it again.
error-save-failed = We could not save your form just now. Everything you typed is still here: please send it again in a minute, or call { $phone }.
error-rate-limited = Too many forms have been sent from your connection. Please wait { $minutes } minutes and try again, or call { $phone }.

## Error pages
error-title-prefix = Error
error-not-found-title = Page not found
error-not-found-body = We could not find that page.
error-too-large-title = Too much text
error-too-large-body = What you sent was too large for us to accept. Please shorten it and try again.
error-bad-request-title = Something was wrong with that request
error-bad-request-body = Please go back and try again.
error-unauthorized-title = Please sign in
error-unauthorized-body = You are not signed in, or your session has ended. Sign in again to go on.
error-forbidden-title = Not allowed
error-forbidden-body = Your role does not allow this. If your work needs it, ask your project manager.
error-internal-title = Something went wrong on our side
error-internal-body = Nothing you did caused this. Please try again in a few minutes, or call { $phone }.
error-back-home = Back to the home page

# Referral status and the acknowledgement email (issue 4)
refer-status-label = Where it stands
refer-status-received = Received. No one has picked it up yet.
refer-status-being-worked = A case manager is working on it.
refer-status-closed = Closed. Thank you for telling us.
email-ack-subject = Your referral { $code } to LEAD
email-ack-body =
    Thank you for your referral. A case manager has read it and is working on it.
    Your reference code is { $code }. To protect the person you told us about, we do not share what happens next, but you can see whether the referral is received, being worked on or closed here: { $link }
    LEAD is not an emergency service. In an emergency, call 911.

# Printed consent form (issue 6): a release of information, in the participant's language.
# It covers the elements 42 CFR 2.31 requires of a written consent. Staff print it; the
# person reads and signs it on paper; staff then record it. $site is the program's name.
consent-form-title = Consent to share information about me
consent-form-intro = This form lets { $site } share some information about you with one organization, for one purpose. It is your choice. Saying no does not change the help you get from us.
consent-form-name = My name
consent-form-discloser = Who may share the information
consent-form-recipient = Who may receive it (one organization)
consent-form-covers = What may be shared (only what is ticked)
consent-form-cover-participation = That I take part in { $site }, and since when
consent-form-cover-case-manager = Who my case manager is, and how to reach them
consent-form-cover-progress = How often and how recently I have been in touch with my case manager
consent-form-cover-barriers = General notes about what is helping me and what is in my way
consent-form-never = Nothing about my health, my mental health, or my use of alcohol or drugs is shared under this form.
consent-form-purpose = Why it may be shared
consent-form-expires = This consent ends on this date, unless I take it back sooner
consent-form-revoke = I can take back this consent at any time, by telling my case manager or anyone at { $site }, in person, by phone or in writing. Taking it back stops any sharing from then on. It cannot undo what was already shared.
consent-form-no-condition = I do not have to sign this form. { $site } keeps working with me whether I sign or not.
consent-form-redisclosure = Once the information is shared, the organization that receives it might share it again, and the privacy rules that protect it here might not protect it there.
consent-form-signature = My signature
consent-form-date = Date I signed
consent-form-staff = Staff member who went through this form with me
consent-form-copy = I may keep a copy of this form.

## Data & Results (/data)
nav-data = Data & Results
data-title = Data & Results
data-lead = What LEAD has done since it began on { $start }, counted the same way every time. Small numbers are held back so that no one can be recognised from them.
data-as-of = As of { $date }
data-period = Counted from { $start } to the end of { $date }.
data-counter-enrolled = Enrolled clients
data-counter-contacts = Client contacts
data-counter-referrals = Referrals received
data-as-of-label = Show the figures as of another day
data-as-of-hint = A day from { $start } to today, written as YYYY-MM-DD.
data-as-of-button = Show
data-error-malformed = Write the date as YYYY-MM-DD, for example 2024-03-25.
data-error-before-start = The program began on { $start }. Choose that day or a later one.
data-error-future = Figures are only known up to today, { $today }.
data-fewer = fewer than 11
data-hidden = held back
data-suppression-note = "Fewer than 11" means between 1 and 10 people. "Held back" marks a number kept out so that a small number beside it cannot be worked out by subtraction. Contacts are events, not people, so they are always shown.
data-chart-note = Bar chart. The same numbers are in the table below it.
data-chart-suppressed = Dashed bars are months with fewer than 11, or held back.
data-empty = Nothing was recorded in this period yet.
data-referrals-title = Referrals each month
data-referrals-by-door = Referrals by door
data-contacts-title = Client contacts each month
data-enrolments-title = Enrolments each month
data-sources-title = Who made community referrals
data-wait-title = Time from referral to first meeting
data-wait-lead = For each referral that led to an enrolment: the days between the referral and the first time a case manager met the person.
data-wait-median = Half of these people were met within { $days } days of their referral.
data-wait-few = Too few people have been met yet to give a typical wait.
data-equity-title = Race and ethnicity
data-equity-lead = LEAD means to undo racial disparities at the front door of the legal system. People describe their own race and ethnicity when they enrol; each person is counted in one group, the way the census does.
data-equity-population = { $area } population
data-equity-source = Population source: { $source }.
data-equity-draft = The population figures are a draft and have not been checked against their source yet.
data-equity-no-population = No population figures have been entered for this site yet.
data-equity-housed = Housed at latest status
data-equity-housed-note = Housed: of the participants whose latest monthly status is known, how many live in permanent housing. Shown only when both the housed and the not housed number 11 or more.
data-not-counted = not counted by the source
data-col-month = Month
data-col-door = Door
data-col-source = Source
data-col-wait = Time
data-col-group = Group
data-col-count = Count
data-col-total = Total
data-col-referrals = Referrals
data-col-enrolled = Enrolled
data-download = Download this table (CSV)
data-json = All these figures as JSON
data-definitions = How each figure is counted
data-definitions-version = Definitions version { $version }.
data-print = To print, use your browser's print command: the page prints without its menus.
door-community = Community
door-social_contact = Police, social contact
door-arrest_diversion = Police, arrest diversion
door-self = Self-referral
door-provider = Service provider
source-resident = Residents
source-business = Businesses
source-visitor = Visitors
source-community_provider = Service providers
source-other_community = Others
wait-0_1 = Same or next day
wait-2_7 = 2 to 7 days
wait-8_14 = 8 to 14 days
wait-15_30 = 15 to 30 days
wait-over_30 = More than 30 days
group-hispanic_latinaeo = Hispanic/Latina/e/o
group-am_ind_ak_native = American Indian, Alaska Native, or Indigenous
group-asian = Asian or Asian American
group-black_af_american = Black, African American, or African
group-mid_east_n_african = Middle Eastern or North African
group-native_hi_pacific = Native Hawaiian or Pacific Islander
group-white = White
group-more_than_one = More than one race
group-not_known = Not known
data-published-title = Published quarters
data-published-lead = Each quarter, the program publishes its figures as of the quarter's last day. Published figures are kept exactly as they were, even if records are corrected later.
data-published-none = No quarter has been published yet.
data-published-col-quarter = Quarter
data-published-col-on = Published
data-published-frozen = These are the figures for { $quarter }, as published on { $date } and counted under definitions version { $version }. They never change. The live figures are on the Data & Results page.
data-published-live = See the live figures

## Community feedback on referrals (/feedback)
feedback-title = How did your referral go?
feedback-lead = If you referred someone to LEAD, tell us how it went. The Community Leadership Team, neighbors who help steer LEAD, follows what people say here.
feedback-privacy = Please do not write anyone's name or anything that would show who they are. We do not ask for your name either. The project manager reads each comment first and passes it on to the team only without details that could identify anyone.
feedback-code = Your reference code, if you have it
feedback-code-hint = It was on the page you saw after sending the referral, for example K7QM-4Z2P. With it the project manager can tell which referral you mean. Leave it empty if you would rather not say.
feedback-respondent-unsaid = I would rather not say
feedback-answered = Did someone from LEAD get back to you?
feedback-answered-in_time = Yes, within one business day
feedback-answered-later = Yes, but later than that
feedback-answered-not_yet = No, not yet
feedback-answered-not_asked = I asked not to be contacted
feedback-rating = How well did LEAD handle your referral?
feedback-rating-very_well = Very well
feedback-rating-well = Well
feedback-rating-not_well = Not well
feedback-rating-poorly = Poorly
feedback-comment = Anything you would like the team to know
feedback-comment-hint = Optional: what went well, and what could be better.
feedback-answer-note = We cannot reply to feedback. If you need an answer, use the contact form.
feedback-submit = Send feedback
feedback-done-title = Thank you for your feedback
feedback-done-body = We have received it. Each month the Community Leadership Team sees how referrals went, as counts, and the comments the project manager has passed on.
refer-done-feedback = Later on, tell us how your referral went
gov-clt-feedback = Tell us how your referral went
error-unknown-code = We have no referral with this code. Check it, or leave the field empty.
