"""The built-in exercise library, written for TrainerHub (names and muscles are common
knowledge; every instruction here is our own wording). Loaded by migration 0002 and kept in
step by `sync_builtin_exercises`.

Each row: name, category, primary muscles, secondary muscles, equipment, difficulty,
measurement, instructions. Muscles and equipment are space-separated codes of
`coaching.models.Muscle` / `Equipment`.
"""

from __future__ import annotations

from typing import NamedTuple


class Row(NamedTuple):
    name: str
    category: str
    primary: str
    secondary: str
    equipment: str
    difficulty: str
    measurement: str
    instructions: str


S, C, M, P, K, W = "strength", "cardio", "mobility", "plyometrics", "core", "warmup"
B, I, A = "beginner", "intermediate", "advanced"
RW, R, T, D, TD = "reps_weight", "reps", "time", "distance", "time_distance"

EXERCISES: list[Row] = [
    # --- Legs -------------------------------------------------------------------------------
    Row("Barbell back squat", S, "quads glutes", "hamstrings lower_back adductors", "barbell", I, RW,
        "Rest the bar across your upper back, feet about shoulder width. Brace your trunk, sit "
        "down between your heels until your hips pass your knees, then drive the floor away to "
        "stand tall. Keep your knees tracking over your toes."),
    Row("Barbell front squat", S, "quads", "glutes abs upper_back", "barbell", A, RW,
        "Hold the bar on the front of your shoulders with elbows high. Squat straight down "
        "keeping your chest proud and the bar over mid-foot, then stand up without letting the "
        "elbows drop."),
    Row("Goblet squat", S, "quads glutes", "abs adductors", "dumbbell kettlebell", B, RW,
        "Hug one bell against your chest. Sit down between your knees with a tall spine, pause "
        "briefly at the bottom and stand by pushing through the whole foot."),
    Row("Bodyweight squat", S, "quads glutes", "hamstrings", "bodyweight", B, R,
        "Arms forward for balance, sit your hips back and down as deep as you can control, "
        "heels flat. Stand up smoothly and squeeze your glutes at the top."),
    Row("Box squat", S, "glutes quads", "hamstrings", "barbell box", I, RW,
        "Squat back to a box set at about knee height, touch it lightly without relaxing, and "
        "stand up. The box teaches a consistent depth and a hips-back pattern."),
    Row("Bulgarian split squat", S, "quads glutes", "adductors hamstrings", "dumbbell bench", I, RW,
        "Rest the top of your back foot on a bench. Lower your back knee toward the floor with "
        "most of the weight on the front leg, then press up through the front heel. Finish all "
        "reps on one side before switching."),
    Row("Walking lunge", S, "quads glutes", "hamstrings adductors", "dumbbell bodyweight", B, RW,
        "Step forward into a long stride, lower until both knees are bent to about ninety "
        "degrees, then bring the back foot through into the next step. Count each leg."),
    Row("Reverse lunge", S, "quads glutes", "hamstrings", "dumbbell bodyweight", B, RW,
        "Step one foot back and lower the back knee just above the floor, torso upright. Push "
        "through the front foot to return. Easier on the knees than a forward lunge."),
    Row("Step-up", S, "quads glutes", "hamstrings calves", "box dumbbell", B, RW,
        "Place one whole foot on a box or bench, lean slightly forward and stand up on it "
        "without pushing off the back foot. Step down under control."),
    Row("Leg press", S, "quads glutes", "hamstrings", "machine", B, RW,
        "Feet flat on the platform about hip width. Lower the sled until your knees are near "
        "your chest without your lower back lifting, then press back without locking the knees "
        "hard."),
    Row("Leg extension", S, "quads", "", "machine", B, RW,
        "Set the pad just above your ankles and the knee in line with the pivot. Straighten the "
        "legs, hold a moment, and lower slowly."),
    Row("Lying leg curl", S, "hamstrings", "calves", "machine", B, RW,
        "Lie face down with the pad above your heels. Curl your heels toward your glutes while "
        "keeping your hips on the bench, then lower under control."),
    Row("Seated leg curl", S, "hamstrings", "calves", "machine", B, RW,
        "Lock the thigh pad down, curl the lower pad under the seat, pause, and let it return "
        "slowly to a straight knee."),
    Row("Romanian deadlift", S, "hamstrings glutes", "lower_back forearms", "barbell dumbbell", I, RW,
        "Stand holding the weight, knees softly bent. Push your hips back and slide the weight "
        "down your thighs with a flat back until you feel a strong stretch, then drive the hips "
        "forward to stand."),
    Row("Conventional deadlift", S, "glutes hamstrings lower_back", "quads forearms upper_back", "barbell", A, RW,
        "Bar over mid-foot, grip just outside the legs. Pull the slack out of the bar, brace, "
        "and push the floor away until you stand tall; lower by hinging first, then bending "
        "the knees."),
    Row("Sumo deadlift", S, "glutes adductors", "quads hamstrings lower_back", "barbell", A, RW,
        "Take a wide stance with toes turned out and grip inside the knees. Keep the chest up "
        "and spread the floor with your feet as you stand."),
    Row("Trap bar deadlift", S, "quads glutes", "hamstrings upper_back forearms", "barbell", I, RW,
        "Stand inside the hex bar, grip the handles and sit down until your back is flat. "
        "Stand up in one motion, keeping the weight centred over your feet."),
    Row("Single-leg Romanian deadlift", S, "hamstrings glutes", "lower_back abs", "dumbbell kettlebell", I, RW,
        "Balance on one leg, hinge forward while the free leg reaches back, keeping the hips "
        "square to the floor. Return to standing by squeezing the standing glute."),
    Row("Hip thrust", S, "glutes", "hamstrings", "barbell bench", I, RW,
        "Upper back on a bench, bar over your hips. Drive through the heels until your body is "
        "a straight line from shoulders to knees, squeeze for a second, and lower."),
    Row("Glute bridge", S, "glutes", "hamstrings abs", "bodyweight mat", B, R,
        "Lie on your back with knees bent. Press through your heels to lift the hips until "
        "your body is straight from shoulders to knees, then lower slowly."),
    Row("Kettlebell swing", S, "glutes hamstrings", "lower_back shoulders forearms", "kettlebell", I, RW,
        "Hike the bell back between your legs, then snap your hips forward so it floats to "
        "chest height. The arms guide; the hips do the work. Let it fall back into the next "
        "hinge."),
    Row("Standing calf raise", S, "calves", "", "machine dumbbell bodyweight", B, RW,
        "Stand on the balls of your feet on a step. Lower the heels for a full stretch, then "
        "rise as high as you can and pause at the top."),
    Row("Seated calf raise", S, "calves", "", "machine", B, RW,
        "Knees under the pad, balls of the feet on the platform. Lower the heels slowly and "
        "press up as high as possible."),
    Row("Hip adduction machine", S, "adductors", "", "machine", B, RW,
        "Sit with the pads on the inside of your knees and squeeze them together. Open slowly "
        "without letting the stack touch down."),
    Row("Cossack squat", M, "adductors quads", "glutes hamstrings", "bodyweight", I, R,
        "From a wide stance, shift into one leg and sit deep while the other leg stays straight "
        "with toes up. Move side to side under control."),
    Row("Wall sit", S, "quads", "glutes", "bodyweight", B, T,
        "Slide down a wall until your thighs are level with the floor, knees over ankles. Hold "
        "the position while breathing steadily."),
    Row("Nordic hamstring curl", S, "hamstrings", "glutes calves", "bodyweight mat", A, R,
        "Kneel with your ankles anchored. Lower your body forward as slowly as you can, catch "
        "yourself with your hands, and push back up to kneeling."),
    Row("Hack squat", S, "quads", "glutes", "machine", I, RW,
        "Shoulders under the pads, feet mid-platform. Lower until your thighs are at least "
        "parallel and press back up, keeping your back against the pad."),
    # --- Chest ------------------------------------------------------------------------------
    Row("Barbell bench press", S, "chest", "triceps shoulders", "barbell bench", I, RW,
        "Lie with your eyes under the bar, shoulder blades pinched and feet planted. Lower the "
        "bar to your lower chest and press it back up over your shoulders."),
    Row("Incline barbell bench press", S, "chest shoulders", "triceps", "barbell bench", I, RW,
        "On a bench set at about thirty degrees, lower the bar to your upper chest and press "
        "up and slightly back."),
    Row("Dumbbell bench press", S, "chest", "triceps shoulders", "dumbbell bench", B, RW,
        "Press two dumbbells from chest level to above your shoulders, letting them come "
        "slightly together at the top. Lower with elbows about forty-five degrees from your "
        "sides."),
    Row("Incline dumbbell press", S, "chest shoulders", "triceps", "dumbbell bench", B, RW,
        "On an inclined bench, press the dumbbells up over your upper chest and lower them "
        "until you feel a stretch across the front of your shoulders."),
    Row("Dumbbell fly", S, "chest", "shoulders", "dumbbell bench", I, RW,
        "With a soft bend in the elbows, open your arms wide until you feel a stretch across "
        "the chest, then hug the weights back together above you."),
    Row("Cable crossover", S, "chest", "shoulders", "cable", I, RW,
        "Stand between two high pulleys, step forward and sweep the handles down and together "
        "in front of your hips. Return slowly with the same arm shape."),
    Row("Push-up", S, "chest triceps", "shoulders abs", "bodyweight", B, R,
        "Hands slightly wider than shoulders, body in one straight line. Lower until your chest "
        "is a fist from the floor and push back up without sagging."),
    Row("Incline push-up", S, "chest triceps", "shoulders", "bench bodyweight", B, R,
        "Hands on a bench or box, body straight. Lower your chest to the edge and press away. "
        "The higher the hands, the easier it gets."),
    Row("Decline push-up", S, "chest shoulders", "triceps abs", "bench bodyweight", I, R,
        "Feet on a bench, hands on the floor. Keep your body rigid as you lower and press; the "
        "upper chest and shoulders work harder."),
    Row("Chest dip", S, "chest triceps", "shoulders", "bodyweight", I, R,
        "On parallel bars, lean your torso slightly forward and lower until your shoulders "
        "are just below your elbows, then press up."),
    Row("Machine chest press", S, "chest", "triceps shoulders", "machine", B, RW,
        "Set the handles at mid-chest height. Press forward until your arms are nearly straight "
        "and return slowly, keeping your back on the pad."),
    Row("Pec deck", S, "chest", "shoulders", "machine", B, RW,
        "Forearms or hands on the pads, bring them together in front of you, squeeze, and open "
        "under control to a comfortable stretch."),
    # --- Back -------------------------------------------------------------------------------
    Row("Pull-up", S, "lats", "biceps upper_back forearms", "pullup_bar", I, R,
        "Hang with an overhand grip a little wider than your shoulders. Pull your chest toward "
        "the bar by driving your elbows down, then lower to a full hang."),
    Row("Chin-up", S, "lats biceps", "upper_back forearms", "pullup_bar", I, R,
        "Palms facing you, shoulder-width grip. Pull until your chin clears the bar and lower "
        "slowly to straight arms."),
    Row("Band-assisted pull-up", S, "lats", "biceps upper_back", "pullup_bar bands", B, R,
        "Loop a band over the bar and put a knee or foot in it. Perform pull-ups with the band's "
        "help; use a lighter band as you get stronger."),
    Row("Lat pulldown", S, "lats", "biceps upper_back", "cable machine", B, RW,
        "Grip the bar wide, lean back slightly and pull it to your upper chest, elbows down and "
        "back. Let it rise until your arms are straight."),
    Row("Close-grip lat pulldown", S, "lats", "biceps", "cable machine", B, RW,
        "With a narrow handle, pull down to the top of your chest keeping your elbows close to "
        "your body, then return to a full stretch."),
    Row("Seated cable row", S, "upper_back lats", "biceps lower_back", "cable", B, RW,
        "Sit tall with a slight knee bend. Pull the handle to your stomach, squeezing your "
        "shoulder blades together, then reach forward without rounding."),
    Row("Bent-over barbell row", S, "upper_back lats", "biceps lower_back hamstrings", "barbell", I, RW,
        "Hinge until your torso is about forty-five degrees to the floor. Row the bar to your "
        "lower ribs and lower it without standing up."),
    Row("One-arm dumbbell row", S, "lats upper_back", "biceps", "dumbbell bench", B, RW,
        "Support one hand and knee on a bench. Pull the dumbbell toward your hip, keeping your "
        "shoulders level, and lower to a full reach."),
    Row("Chest-supported row", S, "upper_back", "lats biceps", "dumbbell bench", B, RW,
        "Lie face down on an incline bench and row two dumbbells up beside your ribs. The "
        "support keeps your lower back out of it."),
    Row("T-bar row", S, "upper_back lats", "biceps lower_back", "barbell machine", I, RW,
        "Straddle the bar with a flat back and row the handle to your chest, pausing as your "
        "shoulder blades meet."),
    Row("Inverted row", S, "upper_back lats", "biceps abs", "trx bodyweight", B, R,
        "Hang under a bar or suspension straps with a straight body. Pull your chest to your "
        "hands and lower slowly. Walk your feet forward to make it harder."),
    Row("Face pull", S, "shoulders upper_back", "", "cable bands", B, RW,
        "Set a rope at head height. Pull it toward your face while spreading the ends apart, "
        "finishing with your hands beside your ears and elbows high."),
    Row("Straight-arm pulldown", S, "lats", "triceps abs", "cable", B, RW,
        "Facing a high pulley, keep your arms nearly straight and sweep the bar down to your "
        "thighs. Control it back up to eye level."),
    Row("Back extension", S, "lower_back glutes", "hamstrings", "machine bodyweight", B, R,
        "Hips on the pad, hinge forward and rise until your body is a straight line. Do not "
        "swing past straight."),
    Row("Good morning", S, "hamstrings lower_back", "glutes", "barbell", A, RW,
        "With a light bar on your upper back and soft knees, hinge forward with a flat back "
        "until your torso nears level, then return to standing."),
    Row("Barbell shrug", S, "upper_back", "forearms", "barbell dumbbell", B, RW,
        "Hold the weight at arm's length and lift your shoulders straight up toward your ears. "
        "Pause and lower without rolling the shoulders."),
    Row("Rack pull", S, "upper_back lower_back glutes", "forearms hamstrings", "barbell", I, RW,
        "Set the bar on pins at knee height and lift it to a full lockout. A way to train the "
        "top of the deadlift and grip with heavier loads."),
    # --- Shoulders --------------------------------------------------------------------------
    Row("Overhead press", S, "shoulders", "triceps upper_back abs", "barbell", I, RW,
        "Standing, with the bar at your collarbones, squeeze your glutes and press the bar "
        "straight up, moving your head back and then through once it passes."),
    Row("Seated dumbbell shoulder press", S, "shoulders", "triceps", "dumbbell bench", B, RW,
        "Sit with back support and press the dumbbells from ear level to overhead, then lower "
        "until your elbows are just below your shoulders."),
    Row("Arnold press", S, "shoulders", "triceps", "dumbbell", I, RW,
        "Start with palms facing you at chin height. Rotate your palms forward as you press "
        "overhead, and reverse the turn on the way down."),
    Row("Lateral raise", S, "shoulders", "upper_back", "dumbbell cable", B, RW,
        "With a slight bend in the elbows, raise the weights out to your sides to shoulder "
        "height, leading with the elbows, then lower slowly."),
    Row("Rear delt fly", S, "shoulders upper_back", "", "dumbbell machine", B, RW,
        "Hinged forward or on a machine, open your arms wide and back, squeezing the backs of "
        "your shoulders. Avoid shrugging."),
    Row("Front raise", S, "shoulders", "chest", "dumbbell cable", B, RW,
        "Raise the weight in front of you to eye level with straight arms and lower under "
        "control."),
    Row("Landmine press", S, "shoulders chest", "triceps abs", "barbell", I, RW,
        "Hold the end of a barbell anchored in a corner at shoulder height and press it up and "
        "forward. Friendly for shoulders that dislike pressing overhead."),
    Row("Pike push-up", S, "shoulders", "triceps", "bodyweight", I, R,
        "From a push-up position, walk your feet in so your hips are high. Bend your elbows to "
        "lower your head toward the floor between your hands and press back."),
    Row("Band pull-apart", W, "upper_back shoulders", "", "bands", B, R,
        "Hold a band at shoulder height with straight arms and pull it apart until it touches "
        "your chest. Return slowly."),
    Row("Upright row", S, "shoulders upper_back", "biceps", "barbell cable", I, RW,
        "Lift the weight close to your body to lower-chest height, elbows leading. Stop where "
        "your shoulders stay comfortable."),
    # --- Arms -------------------------------------------------------------------------------
    Row("Barbell curl", S, "biceps", "forearms", "barbell", B, RW,
        "Elbows by your sides, curl the bar up to your shoulders without swinging, then lower "
        "to straight arms."),
    Row("Dumbbell curl", S, "biceps", "forearms", "dumbbell", B, RW,
        "Curl the dumbbells with palms turning up as they rise, and lower slowly. Alternate "
        "arms or move both together."),
    Row("Hammer curl", S, "biceps forearms", "", "dumbbell", B, RW,
        "Palms facing each other, curl the dumbbells up and lower them, keeping the wrists "
        "neutral."),
    Row("Preacher curl", S, "biceps", "forearms", "barbell dumbbell bench", B, RW,
        "With your upper arms on the angled pad, curl the weight up and lower it almost to a "
        "straight arm."),
    Row("Cable curl", S, "biceps", "forearms", "cable", B, RW,
        "Facing a low pulley, curl the handle toward your shoulders with elbows pinned, then "
        "let it return with control."),
    Row("Triceps pushdown", S, "triceps", "", "cable", B, RW,
        "Elbows tucked at your sides, press the rope or bar down until your arms are straight "
        "and let it rise to chest height."),
    Row("Overhead triceps extension", S, "triceps", "", "dumbbell cable", B, RW,
        "Hold one weight overhead with both hands, lower it behind your head by bending the "
        "elbows, and straighten your arms again."),
    Row("Skull crusher", S, "triceps", "", "barbell dumbbell bench", I, RW,
        "Lying on a bench, lower the weight toward your forehead by bending only at the elbows, "
        "then extend back up."),
    Row("Close-grip bench press", S, "triceps chest", "shoulders", "barbell bench", I, RW,
        "Bench press with hands about shoulder width, elbows close to your body, touching the "
        "bar to your lower chest."),
    Row("Bench dip", S, "triceps", "shoulders chest", "bench bodyweight", B, R,
        "Hands on the edge of a bench behind you, lower your hips by bending your elbows to "
        "about ninety degrees and press up."),
    Row("Diamond push-up", S, "triceps chest", "shoulders", "bodyweight", I, R,
        "Place your hands close together under your chest, thumbs and index fingers touching. "
        "Lower and press while keeping your elbows close."),
    Row("Wrist curl", S, "forearms", "", "dumbbell barbell", B, RW,
        "Forearms on your thighs, palms up, let the weight roll toward your fingers and curl "
        "it back up with your wrists only."),
    Row("Farmer's carry", S, "forearms upper_back", "abs glutes", "dumbbell kettlebell", B, TD,
        "Pick up a heavy weight in each hand and walk tall with short, quick steps. Keep your "
        "shoulders down and do not let the weights swing."),
    # --- Core -------------------------------------------------------------------------------
    Row("Plank", K, "abs", "shoulders glutes", "bodyweight mat", B, T,
        "Forearms under shoulders, body straight from head to heels. Squeeze your glutes and "
        "brace as if about to be poked in the stomach; hold while breathing."),
    Row("Side plank", K, "obliques", "abs shoulders glutes", "bodyweight mat", B, T,
        "On one forearm with feet stacked, lift your hips until your body is straight. Hold, "
        "then switch sides."),
    Row("Dead bug", K, "abs", "hip_flexors", "bodyweight mat", B, R,
        "Lie on your back with arms up and knees over hips. Slowly reach one arm and the "
        "opposite leg away while your lower back stays pressed down, then switch."),
    Row("Bird dog", K, "lower_back abs", "glutes shoulders", "bodyweight mat", B, R,
        "On hands and knees, reach one arm forward and the opposite leg back until level, "
        "hold a breath, and return without twisting your hips."),
    Row("Hanging leg raise", K, "abs hip_flexors", "forearms", "pullup_bar", A, R,
        "Hang from a bar and raise your legs until they are level with your hips or higher, "
        "curling the pelvis up. Lower without swinging."),
    Row("Hanging knee raise", K, "abs hip_flexors", "forearms", "pullup_bar", I, R,
        "Hang from a bar and draw your knees toward your chest, then lower slowly. Keep the "
        "body still."),
    Row("Cable crunch", K, "abs", "obliques", "cable", I, RW,
        "Kneel facing a high pulley holding a rope by your head. Curl your ribs toward your "
        "hips, rounding your spine, and return."),
    Row("Crunch", K, "abs", "", "bodyweight mat", B, R,
        "On your back with knees bent, curl your shoulders off the floor toward your pelvis "
        "and lower slowly. Keep your neck relaxed."),
    Row("Bicycle crunch", K, "abs obliques", "hip_flexors", "bodyweight mat", B, R,
        "Rotate one elbow toward the opposite knee while the other leg extends, and switch "
        "sides in a steady rhythm."),
    Row("Russian twist", K, "obliques", "abs", "medicine_ball bodyweight", B, R,
        "Sit leaning back with feet light on the floor and rotate the ball from one hip to "
        "the other. Each side counts as one."),
    Row("Pallof press", K, "obliques abs", "shoulders", "cable bands", B, R,
        "Stand side-on to a cable or band at chest height. Press the handle straight out and "
        "resist the pull that tries to turn you, then bring it back."),
    Row("Ab wheel rollout", K, "abs", "lats shoulders", "mat", A, R,
        "Kneeling, roll the wheel forward as far as you can without your lower back sagging, "
        "then pull it back using your abs."),
    Row("Hollow body hold", K, "abs", "hip_flexors", "bodyweight mat", I, T,
        "Lying on your back, lift shoulders and legs off the floor with arms overhead, lower "
        "back pressed down. Hold the banana shape."),
    Row("Mountain climber", K, "abs hip_flexors", "shoulders quads", "bodyweight", B, T,
        "From a high plank, drive your knees toward your chest one after the other at a quick "
        "pace while the hips stay low."),
    Row("Suspension body saw", K, "abs", "shoulders", "trx", A, R,
        "Forearm plank with feet in the straps. Rock your body forward and back from the "
        "shoulders while keeping a straight line."),
    Row("Medicine ball slam", P, "abs lats", "shoulders", "medicine_ball", B, R,
        "Lift the ball overhead, rising onto your toes, then slam it into the floor in front of "
        "you as hard as you can. Catch or pick it up and repeat."),
    Row("Suitcase carry", K, "obliques", "forearms abs", "dumbbell kettlebell", B, TD,
        "Carry one heavy weight in one hand and walk without leaning toward it. Switch hands "
        "halfway."),
    # --- Full body / suspension / bands ----------------------------------------------------
    Row("Turkish get-up", S, "shoulders abs", "glutes quads", "kettlebell", A, RW,
        "Lie holding a bell above you with a straight arm. Rise to standing step by step while "
        "the arm stays vertical, then reverse each step to lie down."),
    Row("Thruster", S, "quads shoulders", "glutes triceps", "barbell dumbbell", I, RW,
        "Front squat and, as you stand, use the drive of your legs to press the weight "
        "overhead in one smooth movement."),
    Row("Power clean", S, "glutes hamstrings upper_back", "quads shoulders", "barbell", A, RW,
        "Pull the bar from the floor, extend your hips explosively and pull yourself under to "
        "catch it on your shoulders in a partial squat. Learn it with a coach."),
    Row("Dumbbell snatch", S, "shoulders glutes", "hamstrings upper_back", "dumbbell", A, RW,
        "From a hinge, drive your hips to launch one dumbbell straight up and punch it overhead "
        "in one movement. Alternate hands."),
    Row("Suspension row", S, "upper_back", "biceps abs", "trx", B, R,
        "Hold the handles and lean back with a straight body, then pull your chest to your "
        "hands. Step closer to the anchor to make it harder."),
    Row("Suspension chest press", S, "chest", "triceps abs", "trx", I, R,
        "Facing away from the anchor, lean forward into the handles and lower your chest "
        "between them, then press back."),
    Row("Band squat", S, "quads glutes", "", "bands", B, R,
        "Stand on a band with the ends at your shoulders and squat. The band adds resistance "
        "as you stand."),
    Row("Band hip abduction", W, "glutes", "", "bands", B, R,
        "With a small band above your knees, stand in a quarter squat and press your knees out "
        "against it, or take small side steps."),
    Row("Burpee", P, "quads chest", "shoulders abs", "bodyweight", I, R,
        "Squat down, jump your feet back to a plank, lower your chest, come back to your feet "
        "and jump up with arms overhead."),
    # --- Plyometrics ------------------------------------------------------------------------
    Row("Box jump", P, "quads glutes", "calves", "box", I, R,
        "Swing your arms and jump onto the box, landing softly with both feet. Step down "
        "rather than jumping back."),
    Row("Squat jump", P, "quads glutes", "calves", "bodyweight", B, R,
        "Drop into a quarter squat and jump as high as you can. Land quietly with bent knees "
        "and go straight into the next rep."),
    Row("Broad jump", P, "glutes quads", "hamstrings calves", "bodyweight", I, R,
        "Swing your arms and jump forward as far as you can, landing on both feet in a stable "
        "squat. Reset before each jump."),
    Row("Jumping lunge", P, "quads glutes", "calves", "bodyweight", I, R,
        "From a lunge, jump and switch legs in the air, landing in a lunge on the other side."),
    Row("Lateral bound", P, "glutes", "adductors calves", "bodyweight", I, R,
        "Jump sideways from one leg onto the other, stick the landing for a moment, then bound "
        "back."),
    Row("Skater hop", P, "glutes quads", "calves", "bodyweight", B, R,
        "Leap side to side, landing on one foot while the other sweeps behind, like a speed "
        "skater."),
    Row("Tuck jump", P, "quads hip_flexors", "calves abs", "bodyweight", A, R,
        "Jump straight up and pull your knees toward your chest at the top. Land softly and "
        "repeat."),
    Row("Depth jump", P, "quads glutes", "calves", "box", A, R,
        "Step off a low box, land on both feet and rebound straight up as quickly as possible."),
    Row("Medicine ball chest pass", P, "chest triceps", "shoulders", "medicine_ball", B, R,
        "Throw the ball from your chest against a wall or to a partner as hard as you can, "
        "catch it and throw again."),
    Row("Pogo hops", P, "calves", "", "bodyweight", B, R,
        "Bounce on the balls of your feet with stiff ankles and small, quick jumps."),
    # --- Cardio -----------------------------------------------------------------------------
    Row("Running", C, "quads calves", "hamstrings glutes", "bodyweight", B, TD,
        "Run at the pace the program asks for. Land under your hips with quick light steps and "
        "keep your shoulders relaxed."),
    Row("Treadmill run", C, "quads calves", "hamstrings glutes", "cardio_machine", B, TD,
        "Set the speed and incline the program asks for. A one percent incline feels closest "
        "to running outdoors."),
    Row("Interval sprints", C, "quads hamstrings", "glutes calves", "bodyweight", A, TD,
        "Sprint hard for the prescribed distance or time, then walk or jog to recover. Warm up "
        "thoroughly first."),
    Row("Brisk walk", C, "quads calves", "glutes", "bodyweight", B, TD,
        "Walk fast enough that talking takes effort, swinging your arms naturally."),
    Row("Incline treadmill walk", C, "glutes calves", "hamstrings", "cardio_machine", B, TD,
        "Walk on a steep incline without holding the rails. Stand tall and take full steps."),
    Row("Stationary bike", C, "quads", "hamstrings calves glutes", "cardio_machine", B, TD,
        "Set the saddle so your knee is slightly bent at the bottom of the stroke and ride at "
        "the prescribed effort."),
    Row("Rowing machine", C, "upper_back quads", "lats hamstrings biceps", "cardio_machine", B, TD,
        "Push with the legs first, then lean back and pull the handle to your lower ribs. "
        "Return in the reverse order: arms, body, legs."),
    Row("Elliptical trainer", C, "quads glutes", "hamstrings calves", "cardio_machine", B, TD,
        "Stride smoothly with upright posture, pushing and pulling the handles for some upper "
        "body work."),
    Row("Stair climber", C, "glutes quads", "calves", "cardio_machine", I, T,
        "Climb at a steady pace without leaning on the rails, placing the whole foot on each "
        "step."),
    Row("Assault bike", C, "quads shoulders", "hamstrings chest", "cardio_machine", I, TD,
        "Push and pull the handles while pedalling; both arms and legs drive the fan. Great for "
        "short hard intervals."),
    Row("Ski erg", C, "lats triceps", "abs shoulders", "cardio_machine", I, TD,
        "Reach tall, then pull the handles down by hinging and bending the knees slightly, "
        "finishing with your hands by your thighs."),
    Row("Jump rope", C, "calves", "shoulders forearms", "bodyweight", B, T,
        "Turn the rope from your wrists and hop just high enough to clear it, staying on the "
        "balls of your feet."),
    Row("Swimming", C, "lats shoulders", "abs quads", "bodyweight", I, TD,
        "Swim the prescribed distance at an even effort. Count lengths by the pool's length."),
    Row("Cycling outdoors", C, "quads", "glutes calves", "bodyweight", B, TD,
        "Ride the prescribed distance or time; keep a steady cadence and shift gears rather "
        "than grinding."),
    Row("Jumping jacks", W, "calves shoulders", "glutes", "bodyweight", B, T,
        "Jump your feet out while raising your arms overhead, then back together. Keep a "
        "steady rhythm."),
    Row("High knees", W, "hip_flexors quads", "calves abs", "bodyweight", B, T,
        "Run on the spot driving your knees to hip height with quick arms."),
    Row("Battle ropes", C, "shoulders", "forearms abs", "bodyweight", I, T,
        "Hold one rope end in each hand in an athletic stance and make fast alternating waves "
        "for the prescribed time."),
    # --- Mobility and warm-up ---------------------------------------------------------------
    Row("World's greatest stretch", W, "hip_flexors hamstrings", "upper_back adductors", "bodyweight", B, R,
        "Step into a deep lunge, place the opposite hand down, rotate the inside arm up to the "
        "ceiling, then straighten the front leg. Alternate sides."),
    Row("Cat-cow", M, "lower_back", "abs upper_back", "mat", B, R,
        "On hands and knees, slowly round your spine toward the ceiling, then let your belly "
        "drop and lift your chest. Move with your breath."),
    Row("Hip flexor stretch", M, "hip_flexors", "quads", "mat", B, T,
        "Half-kneel and tuck your pelvis under, then shift forward gently until you feel the "
        "front of the back hip open. Hold each side."),
    Row("Pigeon stretch", M, "glutes", "hip_flexors", "mat", I, T,
        "From all fours, bring one shin forward across your body and lower your hips. Hold, "
        "breathing slowly, then switch."),
    Row("Hamstring stretch", M, "hamstrings", "calves", "mat bodyweight", B, T,
        "With one leg straight on a low step, hinge forward from the hips with a long back "
        "until you feel a gentle pull. Hold each side."),
    Row("Couch stretch", M, "quads hip_flexors", "", "mat", I, T,
        "Kneel with one shin up against a wall or sofa and the other foot forward, then lift "
        "your chest tall. Hold each side."),
    Row("Thoracic rotation", M, "upper_back", "obliques", "mat", B, R,
        "Lie on your side with knees bent, arms together in front. Open the top arm across to "
        "the other side, following it with your eyes, and return."),
    Row("Child's pose", M, "lats lower_back", "shoulders", "mat", B, T,
        "Kneel, sit back toward your heels and reach your arms forward along the floor. Breathe "
        "into your back."),
    Row("Downward dog", M, "hamstrings calves", "shoulders lats", "mat", B, T,
        "From a plank, push your hips up and back into an upside-down V, pressing your heels "
        "toward the floor."),
    Row("Ankle mobility drill", M, "calves", "", "bodyweight", B, R,
        "Half-kneeling facing a wall, drive the front knee toward the wall over your toes "
        "while the heel stays down. Count each rock."),
    Row("90/90 hip switch", M, "glutes adductors", "hip_flexors", "mat", B, R,
        "Sit with both knees bent at right angles to one side, then rotate both legs to the "
        "other side without using your hands if you can."),
    Row("Arm circles", W, "shoulders", "", "bodyweight", B, R,
        "Arms out to the sides, draw small circles that grow larger, then reverse the "
        "direction."),
    Row("Leg swings", W, "hip_flexors hamstrings", "adductors", "bodyweight", B, R,
        "Holding a support, swing one leg forward and back in a relaxed arc, then side to "
        "side. Switch legs."),
    Row("Inchworm", W, "hamstrings shoulders", "abs", "bodyweight", B, R,
        "Fold forward, walk your hands out to a plank, then walk your feet toward your hands "
        "with straight-ish legs."),
    Row("Foam rolling", M, "quads hamstrings", "calves upper_back", "mat", B, T,
        "Roll slowly along a muscle and pause on tender spots for a few breaths. Avoid rolling "
        "directly on joints or the lower back."),
    Row("Shoulder dislocate", M, "shoulders", "upper_back", "bands", B, R,
        "Hold a band or stick wide and raise it overhead and behind you with straight arms, "
        "then back to the front. Widen the grip if it pinches."),
    Row("Deep squat hold", M, "adductors quads", "calves lower_back", "bodyweight", B, T,
        "Sit into your deepest squat with heels down, elbows pushing the knees out, and "
        "breathe. Hold on to something if you need balance."),
    Row("Glute activation walk", W, "glutes", "", "bands", B, R,
        "With a band around your ankles, walk sideways in a slight squat, keeping tension on "
        "the band the whole time."),
    Row("Scapular push-up", W, "upper_back chest", "shoulders", "bodyweight", B, R,
        "In a plank with straight arms, let your chest sink between your shoulder blades, then "
        "push the floor away to spread them."),
]
